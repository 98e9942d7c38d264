extension Int64 {
    /// `self + other`, clamped to `Int64.min...Int64.max` instead of trapping.
    ///
    /// Sample values come from untrusted files; sums over them must never crash the process.
    func saturatingAdd(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// The absolute value, clamped to `Int64.max` (`Int64.min.magnitude` does not fit).
    var saturatingMagnitude: Int64 {
        self == .min ? .max : Swift.abs(self)
    }
}
