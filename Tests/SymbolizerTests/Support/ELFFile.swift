import Foundation

/// An independent reading of an ELF64 little-endian file's program headers and symbols, used by tests to turn
/// symbol addresses into file offsets without going through the code under test.
struct ELFFile {
    struct Segment {
        var offset: UInt64
        var fileSize: UInt64
        var virtualAddress: UInt64
        var isExecutable: Bool
    }

    let path: String
    let loadSegments: [Segment]

    init(path: String) throws {
        self.path = path
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func read<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
            var value: T = 0
            for index in 0..<MemoryLayout<T>.size {
                value |= T(bytes[offset + index]) << (8 * index)
            }
            return value
        }
        precondition(bytes.count > 64 && bytes[0] == 0x7f && bytes[4] == 2 && bytes[5] == 1, "ELF64 LE expected")
        let programHeaderOffset = Int(read(UInt64.self, at: 0x20))
        let programHeaderSize = Int(read(UInt16.self, at: 0x36))
        let programHeaderCount = Int(read(UInt16.self, at: 0x38))
        var segments: [Segment] = []
        for index in 0..<programHeaderCount {
            let base = programHeaderOffset + index * programHeaderSize
            guard read(UInt32.self, at: base) == 1 else { continue }  // PT_LOAD
            segments.append(
                Segment(
                    offset: read(UInt64.self, at: base + 8), fileSize: read(UInt64.self, at: base + 32),
                    virtualAddress: read(UInt64.self, at: base + 16),
                    isExecutable: read(UInt32.self, at: base + 4) & 1 != 0))
        }
        loadSegments = segments
    }

    /// The file offset that ELF address `address` is loaded from.
    func fileOffset(ofELFAddress address: UInt64) -> UInt64? {
        for segment in loadSegments
        where address >= segment.virtualAddress && address - segment.virtualAddress < segment.fileSize {
            return address - segment.virtualAddress + segment.offset
        }
        return nil
    }

    /// `(value, size)` of the defined symbol named `name` (or `name@version`) per `nm` (`-D` for `.dynsym`).
    static func symbol(_ name: String, in path: String, dynamic: Bool = false) throws -> (value: UInt64, size: UInt64)?
    {
        let output = try Shell.run(["nm", "-S", "--defined-only"] + (dynamic ? ["-D"] : []) + [path])
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 4 else { continue }
            let symbolName = fields[3].split(separator: "@").first.map(String.init) ?? ""
            guard symbolName == name, let value = UInt64(fields[0], radix: 16), let size = UInt64(fields[1], radix: 16)
            else { continue }
            return (value, size)
        }
        return nil
    }

    /// Names of defined symbols for which `predicate` holds, with their values.
    static func symbols(in path: String, where predicate: (String) -> Bool) throws -> [(name: String, value: UInt64)] {
        let output = try Shell.run(["nm", "--defined-only", path])
        return output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3, predicate(String(fields[2])), let value = UInt64(fields[0], radix: 16) else {
                return nil
            }
            return (String(fields[2]), value)
        }
    }
}
