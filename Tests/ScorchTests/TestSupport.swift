import Foundation
import ProfileModel
import Testing

/// The `scorch` binary built beside this test bundle.
let scorchPath: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("scorch").path
}()

/// A fresh temporary directory, removed by the caller with `cleanUp`.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("scorch-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion and captures its output.
@discardableResult
func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes concurrently so a chatty child cannot block on a full pipe.
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

/// The test programs in Tests/Workloads (shared with bench/).
let workloadsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Workloads")

/// Compiles the workload `name` (a file in Tests/Workloads) as `fileName`, so the binary and its comm are named
/// after `fileName`; returns the binary's path.
func compile(_ compiler: String, workload name: String, as fileName: String? = nil, flags: [String], in directory: URL)
    throws -> String
{
    let sourceURL = directory.appendingPathComponent(fileName ?? name)
    try? FileManager.default.removeItem(at: sourceURL)
    try FileManager.default.copyItem(at: workloadsDirectory.appendingPathComponent(name), to: sourceURL)
    let binary = directory.appendingPathComponent(URL(fileURLWithPath: fileName ?? name).deletingPathExtension().lastPathComponent).path
    let result = try run(compiler, flags + [sourceURL.path, "-o", binary])
    guard result.status == 0 else { throw TestFailure("\(compiler) failed: \(result.stderr)") }
    return binary
}

/// A running workload, killed (SIGKILL) and reaped by `stop()`.
final class Workload {
    let process = Process()

    init(_ path: String, _ arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `scorch record` and decodes the pprof it wrote.
func record(_ arguments: [String], in directory: URL) throws -> (Profile, CommandResult) {
    let output = directory.appendingPathComponent("profile-\(UUID().uuidString).pb.gz").path
    let result = try run(scorchPath, ["record", "--output", output] + arguments)
    guard result.status == 0 else { throw TestFailure("scorch record failed (\(result.status)): \(result.stderr)") }
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
    return (try Profile(pprof: bytes), result)
}

extension Profile {
    /// Each sample's frames as (function, file, line), root first, inlined frames expanded.
    func stacks(valueIndex: Int = 0) -> [(frames: [(name: String, file: String, line: Int64)], value: Int64, labels: [Label])] {
        samples.map { sample in
            var frames: [(String, String, Int64)] = []
            for locationID in sample.locationIDs.reversed() {
                guard let location = location(id: locationID) else { continue }
                for line in location.lines.reversed() {
                    let function = function(id: line.functionID)
                    frames.append((function?.name ?? "?", function?.filename ?? "", line.line))
                }
                if location.lines.isEmpty { frames.append(("0x" + String(location.address, radix: 16), "", 0)) }
            }
            return (frames, sample.values[valueIndex], sample.labels)
        }
    }

    /// Total value (samples/count) of samples whose leaf frame is `function`.
    func flat(_ function: String) -> Int64 {
        stacks().filter { $0.frames.last?.name == function }.reduce(0) { $0 + $1.value }
    }
}
