import Foundation

/// The repository root (for Tests/Workloads, web-static and the venv).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// The `scorch` binary built beside this test bundle (`swift build --build-tests` builds it).
let scorchPath: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("scorch").path
}()

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion (stdin from `input`, in `directory`) and captures its output; both pipes are drained at once so a
/// chatty child cannot block.
@discardableResult
func run(
    _ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil,
    in directory: URL? = nil
) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe()
    let err = Pipe()
    let inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
    try process.run()
    if let input {
        let writer = Thread {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
    }
    let errData = LockedData()
    let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errData.isSet { Thread.sleep(forTimeInterval: 0.01) }
    return CommandResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData.value, as: UTF8.self))
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}

/// A fresh temporary directory.
func makeTemporaryDirectory(_ prefix: String = "scorch-server-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// An executable of the Python venv that `make test-deps` creates, or a failure saying how to create it.
func venvTool(_ name: String) throws -> String {
    let path = repositoryRoot.appendingPathComponent(".build-venv/bin/\(name)").path
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw TestFailure("\(path) is missing: run `make test-deps` (scripts/install-python-tools.sh) first")
    }
    return path
}

/// A `scorch` command running in the background whose stderr goes to a file; killed by `stop()`.
final class BackgroundCommand: @unchecked Sendable {
    let process = Process()
    let log: URL

    init(_ arguments: [String], log: URL, environment: [String: String]? = nil) throws {
        self.log = log
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: scorchPath)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Waits (up to `seconds`) for a line of stderr matching `pattern` and returns its first capture.
    func waitForLine(_ pattern: Regex<(Substring, Substring)>, seconds: Double = 30) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let match = output.firstMatch(of: pattern) { return String(match.1) }
            guard process.isRunning else { throw TestFailure("scorch exited early: \(output)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TestFailure("no line matching the pattern within \(seconds) s: \(output)")
    }

    /// Sends `signal` and waits (up to 20 s, then SIGKILL and -1) for the exit status; never blocks a test forever.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        return process.terminationStatus
    }
}
