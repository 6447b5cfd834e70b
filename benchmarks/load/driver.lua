-- Launchpad's wrk driver: cycles through requests prepared by run_load.py, paced and
-- bounded. The spec file (LP_SPEC) returns a table:
--   { requests = {{method=, path=, headers={}, body=}, ...},
--     rate = 0,              -- requests/s of this wrk thread, open loop (0: flat out)
--     max_requests = 0,      -- per wrk thread; the thread stops after that many answers
--     unique_header = nil }  -- a header given a fresh value per request (Idempotency-Key)
-- done() prints one line "LPRESULT {json}" that run_load.py reads.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_usec; } lp_timeval;
  int gettimeofday(lp_timeval *tv, void *tz);
]]
local clock = ffi.new("lp_timeval")

local function now_ms()
  ffi.C.gettimeofday(clock, nil)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_usec) / 1000
end

local spec = dofile(os.getenv("LP_SPEC"))
local next_slot = nil
local sent, answered = 0, 0
local prefix = ""
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  math.randomseed(os.time() * 100 + (thread_number or 0))
  prefix = string.format("%d-%d-%d", os.time(), thread_number or 0, math.random(1, 1000000000))
  sent = math.random(0, #spec.requests - 1)
end

-- Every request gets the next slot of a fixed schedule, whichever connection sends it, so
-- the rate does not sag when answers slow down (a late slot is sent at once).
function delay()
  if spec.rate <= 0 then return 0 end
  local now = now_ms()
  next_slot = math.max((next_slot or now) + 1000 / spec.rate, now - 1000)
  return math.max(math.floor(next_slot - now), 0)
end

function request()
  sent = sent + 1
  local r = spec.requests[(sent - 1) % #spec.requests + 1]
  local headers = {}
  for name, value in pairs(r.headers or {}) do headers[name] = value end
  if spec.unique_header then headers[spec.unique_header] = prefix .. "-" .. sent end
  return wrk.format(r.method, r.path, headers, r.body)
end

function response(status, headers, body)
  answered = answered + 1
  if spec.max_requests > 0 and answered >= spec.max_requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'LPRESULT {"requests": %d, "duration_us": %d, "status_errors": %d, "connect_errors": %d, '
    .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, '
    .. '"p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
