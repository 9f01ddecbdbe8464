-- wrk: POST a new issue (bench/run.sh, bench/pg_two.sh)
wrk.method = "POST"
wrk.body = '{"title":"bench issue","type":"task","size":"S","labels":["bench"]}'
wrk.headers["Content-Type"] = "application/json"
