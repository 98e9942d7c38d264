import Glibc

/// Nanoseconds since the Unix epoch now: the `now` of relative times in query parameters.
func wallClockNanos() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}
