-- wrk: POST a 64 KiB body on every request (to the echo route, which sends it back).
--   wrk -t1 -c64 -d5s --latency -s benchmarks/wrk/post64k.lua http://127.0.0.1:8080/echo
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.body = string.rep("RxNet echo body ", 64 * 1024 / 16)
