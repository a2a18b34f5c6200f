-- wrk script: cycles over request paths read from a file, one per line.
--   wrk -t2 -c16 -d15s --latency -s benchmarks/http/cycle.lua http://127.0.0.1:PORT -- PATHS_FILE
-- Each thread starts at a different offset so the threads do not ask the same question at the same time.
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    error("no paths in " .. args[1])
  end
  i = ((id or 0) * 997) % #paths
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
