-- tally.lua - marketplace taps by a signed-in youth worker, as the tally
-- page's script sends them: +1 on an option, asking for JSON, each tap with
-- its own client id.  From the environment: TALLY_COOKIE (the session
-- cookie), TALLY_CSRF, TALLY_OPTIONS ("PRIORITY:THEME,...") and TALLY_RUN
-- (a prefix that keeps client ids unique between runs).  Counts taps
-- answered 200 (committed).  Prints report.lua's ACKED and RESULT lines.
local options = {}
for p, t in string.gmatch(os.getenv("TALLY_OPTIONS"), "(%d+):([%w-]+)") do
	table.insert(options, "&priority=" .. p .. "&theme=" .. t)
end

function init(args)
	acked = 0
	other = 0
	n = 0
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
	wrk.headers["Accept"] = "application/json"
	wrk.headers["Cookie"] = "yv_staff=" .. os.getenv("TALLY_COOKIE")
	prefix = "_csrf=" .. os.getenv("TALLY_CSRF")
	run = "&delta=1&client_id=" .. os.getenv("TALLY_RUN") .. "-" .. tid .. "-"
end

function request()
	n = n + 1
	local body = prefix .. options[n % #options + 1] .. run .. n
	return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
	if status == 200 then acked = acked + 1 else other = other + 1 end
end

dofile(os.getenv("BENCH_DIR") .. "/report.lua")
