import Foundation

/// Runs tools the tests use as builders and oracles (cc, g++, swiftc, strip, nm, eu-addr2line, eu-readelf).
enum Shell {
    struct Failure: Error, CustomStringConvertible {
        var command: [String]
        var status: Int32
        var output: String
        var description: String { "\(command.joined(separator: " ")) exited \(status): \(output)" }
    }

    /// Runs `arguments[0]` found on PATH with the rest as arguments; returns standard output.
    /// Throws when it exits non-zero, with standard error in the message.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and block the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: outputData, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(
                command: arguments, status: process.terminationStatus,
                output: text + String(decoding: errorData, as: UTF8.self))
        }
        return text
    }

    /// A new empty directory under this test process's scratch directory.
    static func makeTemporaryDirectory(_ label: String) throws -> String {
        let path = try scratchRoot.get() + "/\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// `TMPDIR/scorch-symbolizer-tests-PID`, created once per process after removing the scratch directories of
    /// earlier test processes that are no longer running, so runs do not pile up fixtures.
    private static let scratchRoot: Result<String, any Error> = Result {
        let temporary = NSTemporaryDirectory()
        let prefix = "scorch-symbolizer-tests-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        for name in names where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: temporary + "/" + name)
            }
        }
        let root = temporary + "/" + prefix + String(getpid())
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    /// Writes `text` to `path`.
    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
