/// BPF objects compiled from `bpf/` by BPFCompilerPlugin and embedded as base64 (see the generated
/// `EmbeddedBPF+<name>.swift`).
enum EmbeddedBPF {
    /// The ELF bytes of `profiler.bpf.c`.
    static var profilerObject: [UInt8] { decodeBase64(profilerObjectBase64) }

    /// Decodes standard base64 (the generator's output; no line breaks).
    static func decodeBase64(_ text: StaticString) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(index)
        }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8CodeUnitCount * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        text.withUTF8Buffer { buffer in
            for character in buffer {
                let value = table[Int(character)]
                if value == 0xFF { continue }  // padding
                accumulator = accumulator << 6 | UInt32(value)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                }
            }
        }
        return output
    }
}
