-- wrk script for bench/load.py: replays pre-signed Slack requests, each thread its own
-- share of them (so a check-in is submitted once), and prints one RESULT line.
--   wrk -t T -c C -d S --timeout 10s -s signed.lua URL -- REQUESTS_FILE T
-- Each line of REQUESTS_FILE is "timestamp signature body" (form-encoded, one line).

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads = args[1], tonumber(args[2])
  requests = {}
  local index = 0
  for line in io.lines(file) do
    if index % nthreads == id then
      local stamp, signature, body = line:match("^(%S+) (%S+) (.*)$")
      requests[#requests + 1] = wrk.format("POST", nil, {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-Slack-Request-Timestamp"] = stamp,
        ["X-Slack-Signature"] = signature,
      }, body)
    end
    index = index + 1
  end
  position = 0
  refused = 0
  busy = 0
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  if status == 200 and body and body:find('"errors"', 1, true) then
    refused = refused + 1
  end
  -- bench.measure.BUSY_MARKER: the ack itself said the answer pool was full
  if status == 200 and body and body:find("try again in a minute", 1, true) then
    busy = busy + 1
  end
end

function done(summary, latency, requests)
  local late = summary.errors.timeout
  for i = 1, #latency do
    local value, count = latency(i)
    if value > 3000000 then
      late = late + count
    end
  end
  local total_refused, total_busy = 0, 0
  for _, thread in ipairs(threads) do
    total_refused = total_refused + (thread:get("refused") or 0)
    total_busy = total_busy + (thread:get("busy") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f late=%d errors=%d bad=%d refused=%d busy=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, late,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    total_refused, total_busy))
end
