-- wrk script: POSTs $BENCH_BODY with the bearer token in $BENCH_TOKEN and adds up the
-- `usage.total_tokens` of the 200 answers; done() prints "BENCH_TOKENS <sum> <answers>".
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  tokens = 0
  answers = 0
end

function response(status, headers, body)
  if status == 200 then
    local n = body:match('"total_tokens":(%d+)')
    if n then
      tokens = tokens + tonumber(n)
      answers = answers + 1
    end
  end
end

function done(summary, latency, requests)
  local sum, count = 0, 0
  for _, thread in ipairs(threads) do
    sum = sum + thread:get("tokens")
    count = count + thread:get("answers")
  end
  io.write(string.format("BENCH_TOKENS %d %d\n", sum, count))
end
