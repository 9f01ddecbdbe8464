/*
 * commands.c — the command table: the one place commands are registered,
 * with their usage and help text beside them.
 */
#include "cmd/cmd.h"

#define DB_HELP "  --db URL          database: sqlite:PATH, a path, or $CAIRN_DB (default cairn.db)\n"
#define AS_HELP "  --as LOGIN        act as this user (default $CAIRN_USER, else the first admin)\n"

const struct command commands[] = {
	{"init", cmd_init, "cairn init [--db URL] [--admin LOGIN]",
	 "Create or upgrade the database schema.  With --admin, also create that admin\n"
	 "user; the password comes from $CAIRN_ADMIN_PASSWORD, or is generated and printed once.\n\n"
	 DB_HELP "  --admin LOGIN     create this admin user\n"},
	{"serve", cmd_serve,
	 "cairn serve [--db URL] [--listen ADDR] [--threads N] [--trusted-proxy IP] [--hsts]",
	 "Serve the web UI and the JSON API (see docs/API.md) until SIGINT/SIGTERM.\n\n" DB_HELP
	 "  --listen ADDR     HOST:PORT, default $CAIRN_LISTEN or 127.0.0.1:8080 (port 0 = any)\n"
	 "  --threads N       worker threads and database connections (default 4)\n"
	 "  --trusted-proxy IP  the reverse proxy in front ($CAIRN_TRUSTED_PROXY): from it,\n"
	 "                    X-Forwarded-For names the client (login throttling) and\n"
	 "                    X-Forwarded-Proto: https makes the session cookie Secure\n"
	 "  --hsts            send Strict-Transport-Security on https requests ($CAIRN_HSTS=1)\n"},
	{"demo", cmd_demo, "cairn demo [--db URL] [--issues N] [--seed S] [--no-bulk]",
	 "Create a realistic demo product: users of every role (password cairn-demo),\n"
	 "epics, stories, tasks, bugs, feature requests and security issues filed over\n"
	 "the last year, a year of 4-week milestones (13 closed, the running one, the\n"
	 "next), a strategy with initiatives, customer insights and a changelog.\n\n" DB_HELP
	 "  --issues N        how many issues (default 200)\n"
	 "  --seed S          random seed; the same seed gives the same data (default 42)\n"},
	{"user", cmd_user,
	 "cairn user add LOGIN --role ROLE [--name NAME] [--password-stdin] | list [--json]\n"
	 "       | role LOGIN ROLE | disable LOGIN | enable LOGIN | logout LOGIN\n"
	 "       | password LOGIN [--password-stdin]",
	 "Manage users.  Roles: admin, pm, cto, em, engineer, viewer.  A password is read\n"
	 "from stdin with --password-stdin, else generated and printed once.  disable stops\n"
	 "every session and token of the user at once (enable undoes it); logout ends their\n"
	 "sessions; password sets a new one (their sessions end).  The last active admin can\n"
	 "be neither demoted nor disabled.  Every change is in the audit log.\n\n" DB_HELP AS_HELP
	 "  --json            machine-readable output\n"},
	{"token", cmd_token,
	 "cairn token new LOGIN [--name NAME] [--scope read|write|admin] [--expires DATE]\n"
	 "       | list [LOGIN | --all] [--json] | revoke ID",
	 "API tokens: new prints the token once (only its hash is stored); use it as\n"
	 "Authorization: Bearer <token>.  Scope read only reads; write does everything the\n"
	 "user may but administration; admin (the default) all the user may.  A token expires\n"
	 "at --expires (YYYY-MM-DD or an ISO time), or never; list shows when each was last\n"
	 "used; revoke stops it at once.\n\n" DB_HELP AS_HELP},
	{"audit", cmd_audit, "cairn audit [--limit N] [--json]",
	 "The audit log, newest first: users created, roles changed, accounts disabled and\n"
	 "enabled, passwords changed and reset, sessions ended, tokens created and revoked.\n\n"
	 DB_HELP AS_HELP},
	{"issue", cmd_issue,
	 "cairn issue new TITLE [options] | list [QUERY] | show N | tree N | edit N [options]\n"
	 "       | close N | reopen N | comment N [TEXT|-] | comments N | watch N | unwatch N",
	 "Work with issues.\n\n"
	 "  new TITLE         create; options: --type T --body B (- = stdin) --priority P\n"
	 "                    --size S --pm-size S --label L (repeatable) --parent N --assignee LOGIN\n"
	 "  list [QUERY]      list issues; QUERY like 'is:open type:bug label:x words'\n"
	 "                    (docs/API.md, \"Query language\"); --view NAME runs a saved\n"
	 "                    view (QUERY then narrows it); --page N --per-page N\n"
	 "  show N            one issue with its body and history\n"
	 "  tree N            the issue's pillar, area, ancestors and descendants with roll-ups\n"
	 "  edit N            change fields: the options of new, plus --title T --state S;\n"
	 "                    --label replaces all labels, --no-labels clears them;\n"
	 "                    planning: --milestone ID --dev-status S --expected DATE --area ID\n"
	 "                    --slip-reason TEXT (when moving it out of a milestone) --force\n"
	 "                    --dod merged,tests,docs,acceptance,demo (the items done)\n"
	 "                    --cvss VECTOR (a security issue's score; \"\" clears it)\n"
	 "                    --bug-severity S1..S4\n"
	 "  close N, reopen N\n"
	 "  comment N [TEXT]  comment on the issue (markdown; from stdin when TEXT is - or\n"
	 "                    absent); @login mentions a user, #M references an issue\n"
	 "  comments N        the issue's comments, oldest first, and where it is mentioned\n"
	 "  watch N, unwatch N  watch the issue (hear of it in `cairn notifications`), or stop\n\n"
	 DB_HELP AS_HELP
	 "  --json            machine-readable output\n"},
	{"view", cmd_view,
	 "cairn view list [--counts] [--json] | save NAME [QUERY] [--sort S] [--columns C,...]\n"
	 "       [--shared] | delete NAME",
	 "Saved views of the issue list: a named query with its sort and columns.  list\n"
	 "shows the acting user's own views, then the shared ones (--counts: how many issues\n"
	 "each matches, capped at 10,000); save creates the view, or changes the user's own\n"
	 "view of that name; --shared shares it with the team (admins, PMs, CTOs, EMs);\n"
	 "delete removes it (its owner; an admin for a shared view).  Run one with\n"
	 "`cairn issue list --view NAME`.\n\n" DB_HELP AS_HELP
	 "  --json            machine-readable output\n"},
	{"notifications", cmd_notifications,
	 "cairn notifications [--unread] [--read-all] [--page N] [--json]",
	 "The acting user's notifications, newest first, 50 a page (* marks the unread\n"
	 "ones): comments on issues they watch, mentions, assignments, closes and reopens.\n"
	 "--unread lists only the unread ones; --read-all marks every one read first.\n\n"
	 DB_HELP AS_HELP
	 "  --json            machine-readable output\n"},
	{"triage", cmd_triage,
	 "cairn triage [N [--type T] [--priority P] [--size S] [--board H] [--severity S1-S4]\n"
	 "             [--cvss VECTOR] | N --route under_review|icebox|wont_do [--reason R]\n"
	 "             | N --duplicate-of M]",
	 "Without N: walk the triage inbox oldest first, one key per answer (works over a\n"
	 "pipe too: keys are read one by one, blanks ignored; vectors, numbers and reasons\n"
	 "are read as lines).  Keys: t triage (then type e/s/t/b/f/x, priority h/m/l/n,\n"
	 "size 1-6 = XS..XXL or 0, bug severity 1-4, CVSS vector, horizon n/s/m/l),\n"
	 "u under review, i icebox, d duplicate, w won't do, s skip, q quit, ? help.\n"
	 "With N: triage that issue from the flags (--board next|short|medium|long).\n"
	 "Admins, PMs and CTOs triage.\n\n" DB_HELP AS_HELP
	 "  --json            print the triaged issue as JSON\n"},
	{"settings", cmd_settings,
	 "cairn settings [--sla-days critical=7,high=30,medium=90,low=180] [--todo-limit N]",
	 "Show the settings, or change them (admins and PMs): the days a security issue has\n"
	 "to be fixed in, by severity (any subset; new fix-by dates use them, existing ones\n"
	 "stay), and the points the Todo column may hold (default 40).\n\n" DB_HELP AS_HELP},
	{"backlog", cmd_backlog, "cairn backlog [--rank demand|rice] [--limit N] [--json]",
	 "The backlog ranked by customer demand (default) or RICE, with the evidence\n"
	 "behind each rank: how many customers and insights, and the heaviest ask.\n"
	 "Formulas: src/core/scores.h (and docs/API.md).\n\n" DB_HELP AS_HELP
	 "  --json            machine-readable output\n"},
	{"insights", cmd_insights,
	 "cairn insights import [FILE|-] [--map Header:field,...] [--create-customers] [--dry-run]\n"
	 "       | export",
	 "Import insights from a CSV file (a support-tool export: header row, quoted\n"
	 "fields may hold commas and newlines) or write them all as CSV.  Columns are\n"
	 "title, body, source (default support), category, customer, persona, url,\n"
	 "captured_at, state; --map renames export columns, e.g. Subject:title.\n"
	 "Good rows are imported; bad rows are listed with their line (exit 2).\n"
	 "--create-customers adds the customers a good row names that do not exist yet\n"
	 "(Starter, no ARR; admins and PMs), in the same transaction as the rows.\n"
	 "--dry-run checks and counts every row and writes nothing.\n\n" DB_HELP AS_HELP},
	{"customer", cmd_customer,
	 "cairn customer add NAME [--tier Starter|Premium|Enterprise] [--arr N] [--seats N]\n"
	 "       [--strategic]",
	 "Add a customer (admins and PMs); insights name it, its ARR and strategic flag\n"
	 "weigh its asks in the backlog.\n\n" DB_HELP AS_HELP},
	{"persona", cmd_persona,
	 "cairn persona add NAME [--description D] [--buyer-level individual|manager|executive]",
	 "Add a persona (admins and PMs); insights name it.\n\n" DB_HELP AS_HELP},
	{"board", cmd_board, "cairn board product|dev [--milestone ID] [--limit N] [--json]",
	 "Show a board column by column with counts and points: the product board (the\n"
	 "planning horizon of every issue) or the development board (execution; the Todo\n"
	 "column shows its points against the limit).  --limit items per column (default 20).\n\n"
	 DB_HELP AS_HELP "  --json            machine-readable output (the API's shape)\n"},
	{"move", cmd_move, "cairn move N COLUMN [--after M] [--force] [--json]",
	 "Move an issue to a column: a development board column (todo, up_next, in_design,\n"
	 "in_progress, review, verify, done, or none to take it off) or a product board\n"
	 "column (no_status, under_review, next, short, medium, long, icebox, started,\n"
	 "closed).  Todo holds at most the Todo limit (settings) in points: a move past it\n"
	 "is refused unless a PM, CTO or admin gives --force (recorded in the history).\n"
	 "In Progress records started_at (and an expected date from the size); Done records\n"
	 "done_at and closes the issue.  --after M places it right after #M (0 = top).\n\n"
	 DB_HELP AS_HELP},
	{"check", cmd_check, "cairn check [--json] | cairn check --rollups [--rebuild] [--json]",
	 "Report double booking: sized items whose children are sized too (their points\n"
	 "would be counted twice; the parent's size is what counts).  Exit 2 when found.\n"
	 "--rollups compares the roll-ups kept up to date on every write (points, done\n"
	 "points, double booking, item counts of every issue, both privacy scopes, and\n"
	 "every area's sums) with a recomputation from scratch; exit 2 on a mismatch.\n"
	 "--rebuild (admin) first recomputes them from the issues.\n\n"
	 DB_HELP AS_HELP},
	{"pillar", cmd_pillar, "cairn pillar add NAME [--description D] | cairn pillar list [--json]",
	 "Product pillars (strategy), each with areas; epics link to an area.  list shows\n"
	 "each area's epics and their rolled-up points.  Admins and PMs add.\n\n" DB_HELP AS_HELP},
	{"area", cmd_area, "cairn area add PILLAR_ID NAME [--description D]",
	 "Add an area to a pillar (then: cairn issue edit EPIC --area ID).\n\n" DB_HELP AS_HELP},
	{"milestone", cmd_milestone,
	 "cairn milestone plan [--every 4w] [--weekday thu] [--count N] [--from DATE] [--capacity N]\n"
	 "       | new TITLE --start DATE --due DATE [--capacity N] | edit ID [--title T] [--start D]\n"
	 "         [--due D] [--capacity N] | delete ID | list | show ID | burnup ID\n"
	 "       | forecast ID [--seed N] | report ID",
	 "Milestones on a cadence, with capacity against load, velocity (mean points\n"
	 "shipped over the last 3 closed milestones), a burn-up, a Monte Carlo forecast of\n"
	 "the remaining scope from the team's last 28 days of throughput (a seed makes it\n"
	 "reproducible), and the ship/slip report.  plan creates the next N milestones:\n"
	 "the first starts at --from (default: the day after the last one's due, or today)\n"
	 "and is due on the first --weekday at least --every minus 6 days later.  Dates are\n"
	 "YYYY-MM-DD (UTC days).  Admins and PMs plan; put issues in with\n"
	 "cairn issue edit N --milestone ID.\n\n" DB_HELP AS_HELP
	 "  --json            machine-readable output (the API's shape)\n"},
	{"changelog", cmd_changelog,
	 "cairn changelog list [--state S] [--milestone ID] | show ID | history ID\n"
	 "       | new TITLE [--description D] [--body B | --body-file F] [--author LOGIN]...\n"
	 "         [--tag T]... [--issue #N|URL]... [--milestone ID] [--date D]\n"
	 "       | edit ID [--title T] [same as new] [--slug S] | delete ID\n"
	 "       | submit ID | reopen ID | approve ID | publish ID\n"
	 "       | comment ID TEXT [--reply CID] | resolve ID CID\n"
	 "       | draft --milestone ID | notes --milestone ID\n"
	 "       | export ID | export [--milestone ID] --out DIR | import DIR|FILE...\n"
	 "       | tell ID [--mark [CUSTOMER_ID...]]",
	 "Changelog entries from draft to published post.  An entry moves draft → in_review\n"
	 "(submit) → approved (approve: by someone who is not one of its authors) →\n"
	 "published (publish: PMs and admins); reopen sends it back to draft.  draft makes\n"
	 "one draft per closed `headline` issue of a milestone that has none yet (run it\n"
	 "again: nothing new).  notes prints the milestone's release notes (Keep a\n"
	 "Changelog markdown).  export writes the handbook's front-matter files\n"
	 "(YYYY-MM-DD-slug.md); import reads them back as published entries (a bad file is\n"
	 "reported with its line, the others are imported; exit 1 if any was refused).\n"
	 "tell lists the customers and insights behind an entry's issues with a message\n"
	 "for each; --mark records them as told.\n\n" DB_HELP AS_HELP
	 "  --json            machine-readable output (the API's shape)\n"},
	{"strategy", cmd_strategy,
	 "cairn strategy [show] | edit --file F|- [--note N] | versions | diff FROM TO\n"
	 "       | review [--every DAYS] | history | allocation [--by milestone|quarter] [--last N]\n"
	 "       | pillar ID --share PERCENT",
	 "The product strategy: a versioned markdown document (edit saves a version; diff\n"
	 "compares two), its review (mark it reviewed; overdue after --every days, default\n"
	 "90), objectives, pillars with their intended share, and initiatives with progress,\n"
	 "forecast and health computed from the real work.  allocation shows where the\n"
	 "shipped points went: initiatives, bugs, security, unplanned.  PMs and admins edit.\n\n"
	 DB_HELP AS_HELP "  --json            machine-readable output (the API's shape)\n"},
	{"objective", cmd_objective,
	 "cairn objective new TITLE [--period P] [--pillar ID]... | edit ID [--title T] [--period P]\n"
	 "       | kr OBJECTIVE METRIC --baseline N --target N [--current N]\n"
	 "       | kr-set KR --current N [--measured DATE] | list",
	 "Objectives (company goals) and their key results: a metric with a baseline, a\n"
	 "target and a current value (up to 3 decimals) measured on a date.\n\n" DB_HELP AS_HELP},
	{"initiative", cmd_initiative,
	 "cairn initiative list | show ID | new TITLE [--owner L] [--pillar ID] [--objective ID]...\n"
	 "         [--horizon now|next|later] [--start D] [--target D] [--status S] [--public]\n"
	 "       | edit ID [same] [--title T] | update ID --health H --text T\n"
	 "       | add-epic ID EPIC | remove-epic ID EPIC",
	 "Initiatives between pillars and epics: progress from their epics' points, a\n"
	 "forecast (50/85 percent dates) against the target, a suggested health beside the one\n"
	 "stated in updates (on_track, at_risk, off_track; the owner posts them).\n\n"
	 DB_HELP AS_HELP "  --json            machine-readable output (the API's shape)\n"},
	{"roadmap", cmd_roadmap, "cairn roadmap [--json]",
	 "The roadmap as Markdown: Now / Next / Later, from initiatives' horizons and the\n"
	 "product board (epics in no initiative).\n\n" DB_HELP AS_HELP},
	{"decision", cmd_decision,
	 "cairn decision list [--q WORDS] [--status S] [--issue N] [--involving LOGIN] | show ID\n"
	 "       | new TITLE [--context C] [--option 'TITLE|PROS|CONS']... [--decision D]\n"
	 "         [--consequences C] [--responsible L]... [--accountable L]... [--consulted L]...\n"
	 "         [--informed L]... [--issue N]... [--review DATE] [--supersedes ID]\n"
	 "       | edit ID [same, --title T] | accept ID | reject ID | history ID",
	 "The product decision log.  A decision is proposed, then accepted or rejected\n"
	 "(PMs and admins); only a proposed one changes.  Accepting freezes the evidence of\n"
	 "its issues (demand, RICE, insights by tier, size, milestone); show prints what\n"
	 "changed since.  Accepting one that --supersedes an earlier accepted decision marks\n"
	 "that one superseded.\n\n" DB_HELP AS_HELP
	 "  --json            machine-readable output (the API's shape)\n"},
	{"tier", cmd_tier,
	 "cairn tier list | define TIER... | show N | set N TIER --rationale R | clear N\n"
	 "       | matrix [--milestone ID] [--csv] | signals",
	 "Pricing tiers (lowest first; default Starter Premium Enterprise).  show prints a\n"
	 "feature's tier beside the buyer-based suggestion from its asks; set records the\n"
	 "decision with its rationale (PMs and admins).  matrix prints what each tier gets\n"
	 "(Markdown, or CSV); signals lists upsell and mismatch signals.\n\n" DB_HELP AS_HELP},
	{"home", cmd_home, "cairn home [--json]",
	 "What waits for you: open issues assigned to you, the comments that mention you,\n"
	 "changelog entries in review, decisions and the strategy due for review (for those\n"
	 "who may act on them), estimation sessions waiting for your vote, security issues\n"
	 "overdue and due soon (for those who may see them) and the milestone in progress.\n"
	 "The same data as GET /api/v1/home.\n\n" DB_HELP AS_HELP "  --json            the API's JSON\n"},
	{"calibration", cmd_calibration, "cairn calibration [--days N] [--json]",
	 "How long work of each size really took: per size, the cycle time (start to done,\n"
	 "working days) of the items finished in the last N days (default 180) — count,\n"
	 "median, quartiles — against the days the size stands for, and whether the team\n"
	 "under- or over-estimates it.\n\n" DB_HELP AS_HELP},
	{"estimate", cmd_estimate,
	 "cairn estimate list [--status open|closed] | show ID | history ID\n"
	 "       | new TITLE --issues N,N... [--async [--closes ISO]] [--pm] [--participants L,L]\n"
	 "       | vote ID ISSUE SIZE | reveal ID ISSUE | revote ID ISSUE | final ID ISSUE SIZE\n"
	 "       | current ID ISSUE | close ID",
	 "Estimation sessions (planning poker).  em, cto, pm and admin facilitate; the\n"
	 "participants (everyone but viewers, or --participants) vote XS S M L XL XXL or ?.\n"
	 "Votes stay hidden from everyone until the facilitator reveals them (an --async\n"
	 "session reveals itself when voting closes, default in 24 hours).  The facilitator\n"
	 "or the CTO sets the final size (size, or pm_size with --pm); a size the CTO set\n"
	 "stands.\n\n" DB_HELP AS_HELP "  --json            machine-readable output (the API's shape)\n"},
	{"backup", cmd_backup, "cairn backup [--db URL] [--out FILE]",
	 "Write a full, portable dump of the database (JSON Lines) to FILE (created\n"
	 "owner-only) or stdout, from one consistent snapshot.  It holds password and\n"
	 "token hashes: keep it as private as the database.\n\n" DB_HELP},
	{"restore", cmd_restore, "cairn restore [--db URL] [--in FILE]",
	 "Restore a dump from FILE or stdin into an empty database of either backend\n"
	 "(sqlite or postgres; the schema is created if needed), in one transaction.\n"
	 "Move from SQLite to PostgreSQL with:\n"
	 "  cairn backup --db team.db | cairn restore --db postgres://host/cairn\n\n" DB_HELP},
	{"mail", cmd_mail,
	 "cairn mail prefs [--email ADDR | --no-email] [--set KIND=MODE]... [--json]\n"
	 "       | settings [--smtp-url URL] [--username U] [--password-stdin] [--from ADDR]\n"
	 "                  [--base-url URL] [--digest-hour H] [--json]\n"
	 "       | digests | send",
	 "Notification email.  prefs: the acting user's address and how they hear of each\n"
	 "kind (mention, assigned, comment, state): inapp, email (at once), digest (daily)\n"
	 "or off (not even the inbox).  settings (admins): the SMTP server, smtp://host:port\n"
	 "(STARTTLS when offered) or smtps://host:port, its user and password (read from\n"
	 "stdin, never shown), the sender address, this server's address for links, and\n"
	 "the hour (UTC) digests go out.  `cairn serve` sends the queue on its own;\n"
	 "digests (admins) queues the digests due now (the clock: CAIRN_NOW when set);\n"
	 "send (admins) sends what is due once, for a setup without a server.\n\n" DB_HELP AS_HELP
	 "  --json            the API's JSON\n"},
	{"github", cmd_github,
	 "cairn github repo add OWNER/REPO [--secret-stdin] [--token-stdin] [--area ID]\n"
	 "       | repo set ID [--secret-stdin] [--token-stdin] [--area ID] | repo list [--json]\n"
	 "       | repo remove ID | login GITHUB_LOGIN [USER] | logins [--json]\n"
	 "       | deliveries [--limit N] [--json] | reprocess ID",
	 "The GitHub integration (admins; docs/github.md).  repo add configures a repository\n"
	 "whose webhooks Cairn accepts at POST /hooks/github: the secret is read from stdin\n"
	 "with --secret-stdin, else generated and printed once; --token-stdin reads a token\n"
	 "for writing back to GitHub; --area maps the repository onto an area (0: the whole\n"
	 "product).  Secrets and tokens are never shown again.  login maps a GitHub login\n"
	 "onto a Cairn user (without USER: removes it).  deliveries lists the latest webhook\n"
	 "deliveries; reprocess runs one again.\n\n" DB_HELP AS_HELP
	 "  --json            machine-readable output\n"},
	{"import", cmd_import, "cairn import github FILE|- [--repo OWNER/REPO] [--json]",
	 "Import a GitHub repository's issues: FILE (- for stdin) holds what\n"
	 "`gh api --paginate repos/OWNER/REPO/issues?state=all` writes (an issue's\n"
	 "\"comments\" may be the array of its comments, which are imported too).  Pull\n"
	 "requests are skipped; labels, milestones, assignees, state and state_reason are\n"
	 "mapped (docs/github.md).  Importing again updates rather than duplicates.  Items\n"
	 "that cannot be read are listed by GitHub number (exit 2); the rest are written in\n"
	 "one transaction, or nothing is.  A progress bar shows on a terminal.\n\n"
	 DB_HELP AS_HELP
	 "  --repo OWNER/REPO the repository (default: from the issues' URLs)\n"
	 "  --json            machine-readable output\n"},
	{NULL, NULL, NULL, NULL},
};
