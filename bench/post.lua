-- wrk script for every measurement: POSTs BENCH_BODY with BENCH_TOKEN as the bearer token and
-- prints one machine-readable result line in done(). With BENCH_CHECK_BODY=1 (the mutation)
-- it also reads each answer to count userErrors and top-level GraphQL errors; reads leave
-- response() unset because handing every body to Lua costs wrk CPU that the server needs.

wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or "{}"
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
   wrk.headers["Authorization"] = "Bearer " .. token
end

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   user_errors = 0
   graphql_errors = 0
   sample = ""
   if os.getenv("BENCH_CHECK_BODY") ~= "1" then
      response = nil
   end
end

function response(status, headers, body)
   if status ~= 200 or body == nil then
      return
   end
   -- An empty list is a success; anything else in userErrors is a refusal.
   local refused = body:find('"userErrors":[', 1, true) and not body:find('"userErrors":[]', 1, true)
   local failed = body:find('"errors":', 1, true)
   if refused then user_errors = user_errors + 1 end
   if failed then graphql_errors = graphql_errors + 1 end
   if (refused or failed) and sample == "" then
      sample = body:sub(1, 300)
   end
end

local function json_string(text)
   return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('%c', ' ') .. '"'
end

function done(summary, latency, requests)
   local ue, ge, first = 0, 0, ""
   for _, thread in ipairs(threads) do
      ue = ue + (thread:get("user_errors") or 0)
      ge = ge + (thread:get("graphql_errors") or 0)
      if first == "" then first = thread:get("sample") or "" end
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, "errors_status": %d, '
      .. '"errors_timeout": %d, "user_errors": %d, "graphql_errors": %d, "error_sample": %s}\n',
      summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout, ue, ge, json_string(first)))
end
