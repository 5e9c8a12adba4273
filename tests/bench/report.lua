-- wrk script: count non-2xx answers per thread and print one parseable line at the end.
-- wrk's own "Non-2xx or 3xx" line misses redirects; a lost session shows up as 302 to /login.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH rps=%.2f p50_ms=%.2f p95_ms=%.2f requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests, bad, e.connect + e.read + e.write + e.timeout))
end
