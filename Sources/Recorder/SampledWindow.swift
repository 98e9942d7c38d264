import Sampler
import Symbolizer

/// One window as the sampling side hands it over: unwound but not yet symbolized. Everything in it is a value, so
/// it can cross from the sampling thread to the thread that symbolizes.
struct SampledWindow: Sendable {
    /// 0, 1, 2, … in the order windows were sampled.
    var index: Int
    /// Wall-clock bounds, nanoseconds since the epoch.
    var start: Int64
    var end: Int64
    /// Aggregated samples of the counts map (frame-pointer stacks).
    var samples: [RawSample]
    /// DWARF-unwound samples, nil when unwinding is off.
    var unwound: SnapshotUnwinding.Window?
    /// The program's counters for this window alone.
    var counters: SamplerCounters
    /// Processes auto mode has moved to the frame-pointer path so far.
    var framePointerProcesses: Int
    var unwinder: UnwinderStatistics?
    /// When the sampling side finished the window (for the time spent assembling it).
    var sampledAt: ContinuousClock.Instant
}
