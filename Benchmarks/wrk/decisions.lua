-- wrk script: POST one shipped report to /v1/decisions?explain=false.
-- Environment: REPORT (a report file, default Examples/reports/tx-minor-houston.json) and
-- TOKEN (a bearer token from the service's --token-file). See Benchmarks/wrk/README.md.
local path = os.getenv("REPORT") or "Examples/reports/tx-minor-houston.json"
local file = assert(io.open(path, "rb"), "cannot open " .. path)
local body = file:read("*a")
file:close()
local token = assert(os.getenv("TOKEN"), "set TOKEN to a bearer token")

wrk.method = "POST"
wrk.path = "/v1/decisions?explain=false"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

function done(summary, latency, requests)
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("p%s: %.3f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("non-2xx or socket errors: %d\n",
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
