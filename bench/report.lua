-- report.lua - prints machine-readable lines at the end of a wrk run:
--   ACKED acked=N other=M      (when the script counts acknowledged writes
--                               in per-thread globals acked and other)
--   RESULT reqs=N secs=S p99_ms=P bad_status=E errors=E2
-- Loaded by the other scripts, or alone for a plain GET.  Each wrk thread
-- gets its number in the global tid.
local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("tid", #threads)
end

function done(summary, latency, requests)
	local a, o = nil, 0
	for _, t in ipairs(threads) do
		local n = t:get("acked")
		if n then
			a = (a or 0) + n
			o = o + t:get("other")
		end
	end
	if a then
		io.write(string.format("ACKED acked=%d other=%d\n", a, o))
	end
	local e = summary.errors
	io.write(string.format("RESULT reqs=%d secs=%.3f p99_ms=%.2f bad_status=%d errors=%d\n",
		summary.requests, summary.duration / 1e6, latency:percentile(99) / 1000,
		e.status, e.connect + e.read + e.write + e.timeout))
end
