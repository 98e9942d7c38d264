extension Array where Element == UInt8 {
    /// The little-endian unsigned integer of `width` bytes (at most 8) at `offset`.
    ///
    /// - Precondition: `offset + width <= count`; callers check the length first.
    func littleEndian(at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<width {
            value |= UInt64(self[offset + i]) << (8 * UInt64(i))
        }
        return value
    }
}
