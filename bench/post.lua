-- post.lua - the ceiling's POST: a 600-byte form body, as a survey answer is.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "answers=" .. string.rep("x", 592)
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
