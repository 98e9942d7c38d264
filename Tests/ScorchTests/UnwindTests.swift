import Foundation
import ProfileModel
import Testing

/// DWARF unwinding end to end: stacks of code without frame pointers reach main and _start.
@Suite(.serialized)
struct UnwindTests {
    let directory: URL

    init() throws {
        directory = try makeTemporaryDirectory()
    }

    /// Samples of `pid` (all of them when nil) as root-first frame names.
    func stacks(_ profile: Profile, pid: Int32?) -> [(names: [String], value: Int64)] {
        profile.stacks().filter { stack in
            guard let pid else { return true }
            return stack.labels.contains { $0.key == "pid" && $0.number == Int64(pid) }
        }.map { ($0.frames.map(\.name), $0.value) }
    }

    /// The share of samples, in percent, for which `complete` holds.
    func share(_ stacks: [(names: [String], value: Int64)], _ complete: ([String]) -> Bool) -> Double {
        let total = stacks.reduce(0) { $0 + $1.value }
        let good = stacks.filter { complete($0.names) }.reduce(0) { $0 + $1.value }
        return total == 0 ? 0 : Double(good) * 100 / Double(total)
    }

    /// True when `names` (root first) starts at _start and contains `chain` in order (a link matches a name equal to
    /// it or starting with it, for Swift's signatures).
    func reaches(_ names: [String], through chain: [String]) -> Bool {
        guard names.first == "_start" else { return false }
        var index = names.startIndex
        for link in chain {
            guard let found = names[index...].firstIndex(where: { $0 == link || $0.hasPrefix(link) }) else { return false }
            index = found + 1
        }
        return true
    }

    let omitFramePointers = ["-O2", "-g", "-fomit-frame-pointer"]

    @Test func cWithoutFramePointersReachesMainAndStart() throws {
        let binary = try compile("/usr/bin/cc", workload: "chain.c", flags: omitFramePointers, in: directory)
        let workload = try Workload(binary)
        defer { workload.stop() }
        let (profile, result) = try record(["--pid", "\(workload.pid)", "--duration", "3s", "--frequency", "199"], in: directory)
        let samples = stacks(profile, pid: workload.pid)
        #expect(samples.reduce(0) { $0 + $1.value } > 100, "\(result.stderr)")
        let complete = share(samples) { reaches($0, through: ["main", "level1", "level2", "level3", "level4", "level5"]) }
        #expect(complete >= 99, "\(complete)% reach _start → main → level1…5; e.g. \(samples.prefix(3).map(\.names))")
        #expect(result.stderr.contains("unwinding auto: "), "\(result.stderr)")
    }

    @Test func swiftOptimizedReachesMainAndStart() throws {
        let binary = try compile("/opt/swift/usr/bin/swiftc", workload: "chain.swift", as: "swiftchain.swift",
                                 flags: ["-O", "-g"], in: directory)
        let workload = try Workload(binary)
        defer { workload.stop() }
        let (profile, result) = try record(["--pid", "\(workload.pid)", "--duration", "3s", "--frequency", "199"], in: directory)
        let samples = stacks(profile, pid: workload.pid)
        let chain = ["main", "swiftchain.level1(", "swiftchain.level2(", "swiftchain.level3(", "swiftchain.level4(",
                     "swiftchain.level5("]
        let complete = share(samples) { reaches($0, through: chain) }
        #expect(complete >= 99, "\(complete)% complete; e.g. \(samples.prefix(3).map(\.names)); \(result.stderr)")
    }

    /// A recursive Python function: the interpreter's C stack must reach _start.
    func python(_ interpreter: String, atLeast threshold: Double) throws {
        guard FileManager.default.isExecutableFile(atPath: interpreter) else {
            Issue.record("\(interpreter) is missing on this machine")
            return
        }
        let workload = try Workload(interpreter, [workloadsDirectory.appendingPathComponent("recursive.py").path])
        defer { workload.stop() }
        Thread.sleep(forTimeInterval: 0.3)
        let (profile, result) = try record(["--pid", "\(workload.pid)", "--duration", "3s", "--frequency", "199"], in: directory)
        let samples = stacks(profile, pid: workload.pid)
        #expect(samples.reduce(0) { $0 + $1.value } > 100, "\(result.stderr)")
        let complete = share(samples) { $0.first == "_start" }
        #expect(complete >= threshold, "\(interpreter): \(complete)% reach _start; \(result.stderr)")
    }

    @Test func pyenvPythonReachesStart() throws {
        try python("/root/.pyenv/versions/3.11.7/bin/python3.11", atLeast: 99)
    }

    @Test func debianStrippedPythonReachesStart() throws {
        try python("/usr/bin/python3.11", atLeast: 95)
    }

    @Test func recursionDeeperThanTheSnapshotIsMarkedTruncated() throws {
        let binary = try compile("/usr/bin/cc", workload: "deep.c", flags: omitFramePointers, in: directory)
        let workload = try Workload(binary, ["2000"])
        defer { workload.stop() }
        let (profile, result) = try record(
            ["--pid", "\(workload.pid)", "--duration", "2s", "--frequency", "199", "--unwind", "dwarf"], in: directory)
        let samples = stacks(profile, pid: workload.pid)
        let truncated = samples.filter { $0.names.first == "[truncated]" }
        let truncatedShare = share(samples) { $0.first == "[truncated]" }
        #expect(truncatedShare >= 99, "\(truncatedShare)% truncated")
        #expect(result.stderr.contains("truncated stacks: "), "\(result.stderr)")
        // What was unwound is intact: recurse frames all the way up to the cut, then the leaf (and, in samples
        // that took an interrupt, kernel frames on top).
        for stack in truncated {
            let body = stack.names.dropFirst()
            let user = body.prefix { $0 == "recurse" || $0 == "bottom" }
            #expect(user.count >= 100, "a 32 KiB snapshot holds over 100 frames of ~220 bytes: \(user.count)")
            #expect(user.dropLast().allSatisfy { $0 == "recurse" }, "\(user.suffix(5))")
            let kernelNames = Set(profile.functions.filter { function in
                profile.locations.contains { location in
                    location.lines.contains { $0.functionID == function.id }
                        && profile.mapping(id: location.mappingID)?.file == "[kernel.kallsyms]"
                }
            }.map(\.name))
            #expect(body.dropFirst(user.count).allSatisfy { kernelNames.contains($0) }, "\(body.suffix(5))")
        }
        let marker = try #require(profile.functions.first { $0.name == "[truncated]" })
        #expect(marker.filename == "snapshot-end")
    }

    @Test func forkAndExecDuringRecordingAreUnwound() throws {
        let target = try compile("/usr/bin/cc", workload: "chain.c", as: "after_exec.c", flags: omitFramePointers, in: directory)
        let forker = try compile("/usr/bin/cc", workload: "forker.c", flags: omitFramePointers, in: directory)
        let output = directory.appendingPathComponent("fork.pb.gz").path
        // Record the whole host, so the forked child (a new pid) is in it too.
        let recorder = Process()
        recorder.executableURL = URL(fileURLWithPath: scorchPath)
        recorder.arguments = ["record", "--duration", "4s", "--frequency", "199", "--output", output]
        recorder.standardError = FileHandle.nullDevice
        try recorder.run()
        Thread.sleep(forTimeInterval: 0.5)
        let workload = try Workload(forker, [target])
        defer { workload.stop() }
        recorder.waitUntilExit()
        #expect(recorder.terminationStatus == 0)
        let profile = try Profile(pprof: [UInt8](Data(contentsOf: URL(fileURLWithPath: output))))
        let all = stacks(profile, pid: nil)
        let parent = stacks(profile, pid: workload.pid)
        let parts: [(String, [(names: [String], value: Int64)], [String])] = [
            ("before fork", parent.filter { $0.names.contains("before_fork") }, ["main", "before_fork", "burn"]),
            ("forked child", all.filter { $0.names.contains("in_child") }, ["main", "in_child", "burn"]),
            ("after exec (same pid)", parent.filter { $0.names.contains("level5") }, ["main", "level1", "level5"]),
        ]
        for (name, part, chain) in parts {
            #expect(part.reduce(0) { $0 + $1.value } > 50, "\(name) sampled")
            let complete = share(part) { reaches($0, through: chain) }
            #expect(complete >= 95, "\(name): \(complete)% complete; e.g. \(part.prefix(2).map(\.names))")
        }
    }

    @Test func autoModeMovesFramePointerCompleteProcessesToTheCheapPath() throws {
        let binary = try compile(
            "/usr/bin/cc", workload: "fpcomplete.c",
            flags: ["-O1", "-g", "-fno-omit-frame-pointer", "-fno-inline", "-nostdlib", "-static", "-fno-stack-protector"],
            in: directory)
        let workload = try Workload(binary)
        defer { workload.stop() }
        let (profile, result) = try record(["--pid", "\(workload.pid)", "--duration", "3s", "--frequency", "199"], in: directory)
        #expect(result.stderr.contains("1 processes moved to frame pointers"), "\(result.stderr)")
        let samples = stacks(profile, pid: workload.pid)
        let total = samples.reduce(0) { $0 + $1.value }
        // DWARF-unwound samples before the switch and frame-pointer samples after it read the same.
        let complete = share(samples) { reaches($0, through: ["main", "outer", "burn"]) }
        #expect(complete >= 99, "\(complete)%: \(samples.prefix(3).map(\.names))")
        let unwound = result.stderr.firstMatch(of: /unwinding auto: (\d+) samples unwound/).flatMap { Int64($0.1) } ?? total
        #expect(unwound * 4 < total, "\(unwound) of \(total) samples were unwound with DWARF before the switch")
    }
}
