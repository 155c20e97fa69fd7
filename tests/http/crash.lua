-- crash.lua - wrk clients for test_crash.sh.  Run with as many threads as
-- connections (-tN -cN), so each thread is one client whose requests and
-- answers come strictly in turn: GET the form, POST it with its token,
-- again.  Client k (its thread number) always answers "most important"
-- with OPTIONS[k] and picks sport.  At the end each client prints
--   CLIENT k sent=S acked=A
-- S: POSTs written; A: POSTs answered 303 (the server said it was stored).
local OPTIONS = { "talk", "mental-health", "safe", "online" }
local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("k", #threads)
end

function init(args)
	sent, acked, token = 0, 0, nil
	wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
	if token then
		local body = "_token=" .. token .. "&most-important=" .. OPTIONS[k] ..
			"&make-better%5B%5D=sport&age=14-15&district=eastbrook"
		token = nil
		sent = sent + 1
		return wrk.format("POST", wrk.path, nil, body)
	end
	return wrk.format("GET", wrk.path)
end

function response(status, headers, body)
	if status == 200 then
		token = body:match('name="_token" value="(%x+)"')
	elseif status == 303 then
		acked = acked + 1
	end
end

function done(summary, latency, requests)
	for _, t in ipairs(threads) do
		io.write(string.format("CLIENT %d sent=%d acked=%d\n", t:get("k"), t:get("sent"), t:get("acked")))
	end
end
