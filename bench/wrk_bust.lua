-- wrk: a new URL every request (a reply-cache miss each time; bench/run.sh, bench/pg_two.sh)
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "&bust=" .. counter .. "-" .. math.random(1e9))
end
