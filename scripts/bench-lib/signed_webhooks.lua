-- wrk script: posts pre-signed, unique webhook deliveries (see signed_webhooks.py and
-- fulfil.py). Each wrk thread walks its own stripe of the file, so no delivery is sent
-- twice; at the end of its stripe a thread starts over (redeliveries, deduplicated), or
-- stops when BENCH_STOP_AT_END is set (each delivery then does its work exactly once).
local deliveries = {}
local threads = 0

function setup(thread)
  thread:set("stripe", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(os.getenv("BENCH_WEBHOOKS")) do
    local id, ts, sig, body = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)")
    deliveries[#deliveries + 1] = {id = id, ts = ts, sig = sig, body = body}
  end
  index = tonumber(stripe) + 1
  step = tonumber(os.getenv("BENCH_THREADS") or "2")
  stop_at_end = os.getenv("BENCH_STOP_AT_END") ~= nil
end

function request()
  local d = deliveries[index]
  if d == nil then
    if stop_at_end then
      wrk.thread:stop()
      return wrk.format("GET", "/api/health/")
    end
    index = tonumber(stripe) + 1
    d = deliveries[index]
  end
  index = index + step
  return wrk.format("POST", "/api/webhooks/clerk/", {
    ["content-type"] = "application/json",
    ["svix-id"] = d.id,
    ["svix-timestamp"] = d.ts,
    ["svix-signature"] = d.sig,
  }, d.body)
end
