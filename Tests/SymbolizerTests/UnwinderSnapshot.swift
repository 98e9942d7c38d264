import Foundation
import Logging
import Symbolizer

/// One sample written by an ``UnwinderFixtures`` program: registers, stack copy and maps of a process that has
/// exited since.
struct UnwinderSnapshot {
    var pid: Int32
    var registers: [UInt64]
    var stack: [UInt8]
    var mapsText: String
    var maps: ProcessMaps
    /// Where `__vdso_clock_gettime` was in the process; nil when the program could not find it.
    var vdsoClockGettime: UInt64?

    /// Runs `binary` with `arguments` followed by a new output directory, and reads what it wrote.
    static func capture(_ binary: String, _ arguments: [String] = []) throws -> UnwinderSnapshot {
        let directory = try Shell.makeTemporaryDirectory("snapshot")
        try Shell.run([binary] + arguments + [directory])
        let registerBytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/registers.bin"))
        let registers = stride(from: 0, to: registerBytes.count, by: 8).map { offset in
            littleEndianWord(Array(registerBytes[offset..<offset + 8]))
        }
        let stack = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/stack.bin")))
        let mapsText = try String(contentsOfFile: directory + "/maps.txt", encoding: .utf8)
        var extra: [String: UInt64] = [:]
        for line in try String(contentsOfFile: directory + "/extra.txt", encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = UInt64(fields[1]) { extra[String(fields[0])] = value }
        }
        let pid = Int32(extra["pid"] ?? 0)
        return UnwinderSnapshot(
            pid: pid, registers: registers, stack: stack, mapsText: mapsText,
            maps: try ProcessMaps(pid: pid, mapsText: mapsText),
            vdsoClockGettime: extra["vdso_clock_gettime"].flatMap { $0 == 0 ? nil : $0 })
    }

    /// Unwinds with `unwinder`, optionally as another pid or with the stack copy cut to `stackLimit` bytes.
    func unwind(
        with unwinder: StackUnwinder, pid: Int32? = nil, maps: ProcessMaps? = nil, registers: [UInt64]? = nil,
        stackLimit: Int? = nil
    ) -> UnwoundStack {
        let bytes = stack.prefix(stackLimit ?? stack.count)
        return Array(bytes).withUnsafeBytes {
            unwinder.unwind(
                pid: pid ?? self.pid, maps: maps ?? self.maps, registers: registers ?? self.registers, stack: $0)
        }
    }

    /// The outermost function at each frame (at its ``UnwoundStack/addressesForSymbolization``), "?" where
    /// unknown, and the path of the mapping each frame is in ("" for none).
    func symbolize(_ stack: UnwoundStack, with symbolizer: ELFSymbolizer) -> [(function: String, path: String)] {
        stack.addressesForSymbolization.map { lookup in
            guard let mapping = maps.mapping(containing: lookup) else { return ("?", "") }
            guard mapping.isFileBacked else { return ("?", mapping.path) }
            let frames = symbolizer.symbolize(path: mapping.path, offset: mapping.fileOffset(of: lookup)).frames
            return (frames.last?.function ?? "?", mapping.path)
        }
    }

    /// The value of eight little-endian bytes.
    static func littleEndianWord(_ bytes: [UInt8]) -> UInt64 {
        bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
    }

    /// The little-endian u64 values in the stack copy at 8-byte-aligned addresses.
    var stackWords: Set<UInt64> {
        var words: Set<UInt64> = []
        let misalignment = Int(registers[7] % 8)
        var offset = misalignment == 0 ? 0 : 8 - misalignment
        while offset + 8 <= stack.count {
            words.insert(Self.littleEndianWord(Array(stack[offset..<offset + 8])))
            offset += 8
        }
        return words
    }
}

extension Logger {
    /// A logger for tests; debug messages go to standard error when `SCORCH_TEST_DEBUG` is set.
    static var unwinderTest: Logger {
        var logger = Logger(label: "unwinder-test")
        logger.logLevel = ProcessInfo.processInfo.environment["SCORCH_TEST_DEBUG"] != nil ? .debug : .info
        return logger
    }
}
