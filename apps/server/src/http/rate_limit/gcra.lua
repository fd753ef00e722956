-- GCRA in one atomic step, with governor's semantics: a burst of `burst` requests,
-- then one per `interval`; a refused request changes nothing.
-- KEYS[1]: the budget key. ARGV[1]: emission interval (microseconds). ARGV[2]: burst.
-- Returns 0 when the request is allowed, else the microseconds until one would be.
-- Time is Redis's own clock, so every instance agrees on it.
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local interval = tonumber(ARGV[1])
local tolerance = interval * (tonumber(ARGV[2]) - 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then
  tat = now
end
local allowed_at = tat - tolerance
if now < allowed_at then
  return allowed_at - now
end
local next_tat = tat + interval
-- The key is worthless once the budget is full again; let Redis drop it then.
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1)
return 0
