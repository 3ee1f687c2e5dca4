-- wrk: every request wrk sends is DEPTH GETs of the URL's path written back to back (pipelined, as in
-- TechEmpower's plaintext test); wrk counts each GET's response.
--   wrk -t1 -c256 -d5s --latency -s benchmarks/wrk/pipeline.lua http://127.0.0.1:8080/plaintext -- 16
init = function(args)
  local depth = tonumber(args[1]) or 16
  local one = wrk.format(nil)
  batch = string.rep(one, depth)
end

request = function()
  return batch
end
