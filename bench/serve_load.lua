-- wrk script for bench/serve_load.py: rotates over the paths given after `--`, and checks
-- every response: counts status codes, and for HTML pages counts "torn" bodies (not starting
-- with <!doctype html> or not ending with </html>).
--
--   wrk -t2 -c50 -d30s --latency -s bench/serve_load.lua http://127.0.0.1:PORT -- /a/ /b/

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for _, p in ipairs(args) do
    table.insert(paths, p)
  end
  if #paths == 0 then
    paths = { "/" }
  end
  n = 0
  statuses = {}
  torn = 0
  html = 0
  bytes = 0
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local kind = headers["Content-Type"] or headers["content-type"] or ""
  if kind:find("text/html", 1, true) then
    html = html + 1
    bytes = bytes + #body
    local head = body:sub(1, 15):lower()
    if head ~= "<!doctype html>" or not body:find("</html>%s*$") then
      torn = torn + 1
    end
  end
end

function done(summary, latency, requests)
  local all_status = {}
  local all_torn, all_html, all_bytes = 0, 0, 0
  for _, t in ipairs(threads) do
    for code, count in pairs(t:get("statuses")) do
      all_status[code] = (all_status[code] or 0) + count
    end
    all_torn = all_torn + t:get("torn")
    all_html = all_html + t:get("html")
    all_bytes = all_bytes + t:get("bytes")
  end
  local parts = {}
  for code, count in pairs(all_status) do
    table.insert(parts, string.format("%s=%d", code, count))
  end
  table.sort(parts)
  io.write(string.format("LUA statuses %s\n", table.concat(parts, " ")))
  io.write(string.format("LUA html %d torn %d html_bytes %d\n", all_html, all_torn, all_bytes))
  io.write(string.format(
    "LUA requests %d duration_us %d errors connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("LUA latency p%s %.2f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("LUA latency max %.2f ms mean %.2f ms\n", latency.max / 1000,
    latency.mean / 1000))
end
