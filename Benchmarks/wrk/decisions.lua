-- wrk script: POST shipped reports to /v1/decisions?explain=false, rotating through them.
-- Environment: REPORTS (report files separated by spaces; default the four in
-- Examples/reports), EXPLAIN (set to "true" to ask for explanations) and TOKEN (a bearer
-- token from the service's --token-file). See Benchmarks/wrk/README.md.
local list = os.getenv("REPORTS")
  or "Examples/reports/tx-minor-houston.json Examples/reports/austin-motel-danger.json "
  .. "Examples/reports/adult-dallas-no-consent.json Examples/reports/minor-unknown-caregiver.json"
local token = assert(os.getenv("TOKEN"), "set TOKEN to a bearer token")
local path = os.getenv("EXPLAIN") == "true" and "/v1/decisions" or "/v1/decisions?explain=false"
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }

local requests = {}
for name in string.gmatch(list, "%S+") do
  local file = assert(io.open(name, "rb"), "cannot open " .. name)
  requests[#requests + 1] = wrk.format("POST", path, headers, file:read("*a"))
  file:close()
end
local next_index = 0

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function done(summary, latency, requests_done)
  io.write(string.format("requests: %d\n", summary.requests))
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("p%s: %.3f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("non-2xx or socket errors: %d\n",
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
