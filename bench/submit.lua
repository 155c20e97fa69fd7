-- submit.lua - complete survey submissions: GET the form (which carries a
-- one-time token), then POST the answers with that token.  A submission
-- counts only when its POST is acknowledged with 303 (stored and committed).
-- Tokens are shared by the connections of one wrk thread: each GET adds
-- one, each POST uses one.  Prints report.lua's ACKED and RESULT lines
-- (its p99 is over the flow's GETs and POSTs alike).
local most = { "talk", "mental-health", "safe", "online", "future", "bullying" }
local better = { "sport", "food", "transport", "info", "carers", "send", "housing", "leaving-care" }
local text = "More+places+to+go+in+the+evenings+that+are+free+and+safe%2C+buses+that+run+later" ..
	"+and+someone+at+school+who+listens+when+things+go+wrong.+My+friend+said+call+07700+900123" ..
	"+or+email+me+at+someone%40example.org+if+you+want+to+know+more+about+our+youth+club."
local n = 0

function init(args)
	tokens = {}
	acked = 0
	other = 0
	wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
	local t = table.remove(tokens)
	if not t then
		return wrk.format("GET", wrk.path)
	end
	n = n + 1
	local body = "_lang=en&_page=1&_action=submit&_token=" .. t ..
		"&most-important=" .. most[n % #most + 1] ..
		"&make-better%5B%5D=" .. better[n % #better + 1] ..
		"&make-better%5B%5D=" .. better[(n + 3) % #better + 1] ..
		"&tell-us=" .. text .. "&age=14-15&district=eastbrook"
	return wrk.format("POST", wrk.path, nil, body)
end

function response(status, headers, body)
	if status == 200 then
		local t = body:match('name="_token" value="(%x+)"')
		if t then table.insert(tokens, t) end
	elseif status == 303 then
		acked = acked + 1
	else
		other = other + 1
	end
end

dofile(os.getenv("BENCH_DIR") .. "/report.lua")
