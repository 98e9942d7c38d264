import Foundation
import ProfileModel
import Testing

/// `scorch record` end to end: the real binary, the real kernel, real workloads, and go tool pprof as a client.
@Suite(.serialized)
struct RecordTests {
    let directory: URL

    init() throws {
        directory = try makeTemporaryDirectory()
    }

    /// Frame pointers on (the workloads keep their hot functions from being leaves, which GCC leaves without one).
    func frameFlags() -> [String] { ["-O1", "-g", "-fno-omit-frame-pointer", "-fno-inline"] }

    @Test func knownSplitWithStacksFileLinesAndPprofClient() throws {
        let binary = try compile("/usr/bin/cc", workload: "split.c", flags: frameFlags(), in: directory)
        let workload = try Workload(binary, ["3", "1"])
        defer { workload.stop() }
        let (profile, result) = try record(["--pid", "\(workload.pid)", "--duration", "4s", "--frequency", "199"], in: directory)
        #expect(result.stderr.contains("recorded"), "summary on stderr: \(result.stderr)")

        let a = profile.flat("hot_a")
        let b = profile.flat("hot_b")
        #expect(a + b > 400, "hot_a \(a) + hot_b \(b) samples")
        let share = Double(a) * 100 / Double(a + b)
        #expect(abs(share - 75) < 5, "hot_a's share is \(share)%, truth is 75%")

        // Stacks read main → work → hot_*, with file:line on the hot frames.
        let hot = profile.stacks().filter { ["hot_a", "hot_b"].contains($0.frames.last?.name ?? "") }
        let complete = hot.filter { stack in
            let names = stack.frames.map(\.name)
            guard let main = names.firstIndex(of: "main"), let work = names.firstIndex(of: "work") else { return false }
            return main < work && work == names.count - 2
        }
        let completeCount = complete.reduce(0) { $0 + $1.value }
        #expect(completeCount * 100 >= (a + b) * 95, "\(completeCount) of \(a + b) hot samples read main → work → hot_*")
        let leaf = try #require(hot.first?.frames.last)
        #expect(leaf.file.hasSuffix("split.c") && leaf.line > 0, "leaf has file:line: \(leaf)")
        // Labels: pid and tid numeric, comm and thread_name strings.
        let labels = try #require(hot.first?.labels)
        #expect(labels.contains { $0.key == "pid" && $0.number == Int64(workload.pid) })
        #expect(labels.contains { $0.key == "comm" && $0.string == "split" })
        #expect(labels.contains { $0.key == "tid" && $0.number != nil })
        #expect(labels.contains { $0.key == "thread_name" && $0.string == "split" })
        #expect(labels.contains { $0.key == "exe" && $0.string == binary })
        #expect(profile.sampleTypes.map(\.type) == ["samples", "cpu"])
        #expect(profile.period == 1_000_000_000 / 199)
        let mapping = try #require(profile.mappings.first { $0.file == binary })
        #expect(mapping.hasFunctions && mapping.hasLineNumbers && !mapping.buildID.isEmpty)

        // A real client reads the same file and finds the same functions.
        let file = directory.appendingPathComponent("client.pb.gz")
        try Data(profile.pprofData()).write(to: file)
        let pprof = try run("/usr/bin/go", ["tool", "pprof", "-top", "-sample_index=samples", file.path],
                            environment: ["HOME": directory.path, "PATH": "/usr/bin:/bin"])
        #expect(pprof.status == 0, "go tool pprof: \(pprof.stderr)")
        let pprofRows = pprof.stdout.split(separator: "\n").filter { $0.hasSuffix(" hot_a") || $0.hasSuffix(" hot_b") }
        #expect(pprofRows.count == 2, "go tool pprof -top lists hot_a and hot_b:\n\(pprof.stdout)")
        let flatA = pprofRows.first { $0.hasSuffix("hot_a") }.flatMap { $0.split(separator: " ").first }.flatMap { Int64($0) }
        #expect(flatA == a, "go tool pprof counts \(String(describing: flatA)) hot_a samples, we count \(a)")
    }

    @Test func syscallsShowKernelFramesOverTheUserStack() throws {
        let binary = try compile("/usr/bin/cc", workload: "syscalls.c", flags: frameFlags(), in: directory)
        let workload = try Workload(binary)
        defer { workload.stop() }
        let (profile, _) = try record(["--pid", "\(workload.pid)", "--duration", "2s", "--frequency", "199"], in: directory)
        let kernelMapping = try #require(profile.mappings.first { $0.file == "[kernel.kallsyms]" })
        let stacks = profile.samples.map { sample in
            sample.locationIDs.reversed().compactMap { profile.location(id: $0) }
        }
        // Root first: user frames, then kernel frames on top.
        let layered = stacks.filter { locations in
            guard let firstKernel = locations.firstIndex(where: { $0.mappingID == kernelMapping.id }) else { return false }
            let user = locations[..<firstKernel].flatMap(\.lines).compactMap { profile.function(id: $0.functionID)?.name }
            return user.contains("raw_write") && user.contains("main")
                && locations[firstKernel...].allSatisfy { $0.mappingID == kernelMapping.id }
        }
        #expect(layered.count > 0, "some samples have kernel frames on top of main → raw_write")
        let kernelNames = Set(layered.flatMap { $0 }.filter { $0.mappingID == kernelMapping.id }
            .flatMap(\.lines).compactMap { profile.function(id: $0.functionID)?.name })
        #expect(kernelNames.contains { $0.contains("sys_write") || $0.contains("vfs_write") }, "kernel names: \(kernelNames)")
    }

    @Test func processThatExitsMidRecordingIsSymbolized() throws {
        let binary = try compile("/usr/bin/cc", workload: "split.c", as: "short.c", flags: frameFlags(), in: directory)
        let workload = try Workload(binary, ["1", "1", "1.5"])
        defer { workload.stop() }
        let (profile, _) = try record(["--pid", "\(workload.pid)", "--duration", "3s", "--frequency", "199"], in: directory)
        #expect(!workload.process.isRunning, "the workload exited during the recording")
        #expect(profile.flat("hot_a") > 50 && profile.flat("hot_b") > 50)
        let leaf = try #require(profile.stacks().first { $0.frames.last?.name == "hot_a" }?.frames.last)
        #expect(leaf.file.hasSuffix("short.c") && leaf.line > 0)
    }

    @Test func cplusplusAndSwiftNamesAreDemangled() throws {
        let cpp = try compile("/usr/bin/g++", workload: "spinner.cpp", flags: frameFlags(), in: directory)
        let swift = try compile("/opt/swift/usr/bin/swiftc", workload: "swiftspin.swift",
                                flags: ["-Onone", "-g"], in: directory)
        let cppWorkload = try Workload(cpp)
        defer { cppWorkload.stop() }
        let swiftWorkload = try Workload(swift)
        defer { swiftWorkload.stop() }
        let (profile, _) = try record(
            ["--pid", "\(cppWorkload.pid)", "--pid", "\(swiftWorkload.pid)", "--duration", "2s", "--frequency", "199"],
            in: directory)
        let names = Set(profile.functions.map(\.name))
        #expect(names.contains("scorch_test::Spinner::spin(int)"), "C++ names: \(names.sorted())")
        let swiftName = names.first { $0.contains("spinSwift") }
        #expect(swiftName?.hasPrefix("swiftspin.spinSwift(") == true, "Swift name: \(String(describing: swiftName))")
        #expect(profile.functions.contains { $0.systemName.hasPrefix("$s") && $0.name == swiftName })
    }

    @Test func foldedFormatIsFlamegraphReady() throws {
        let binary = try compile("/usr/bin/cc", workload: "split.c", as: "fold.c", flags: frameFlags(), in: directory)
        let workload = try Workload(binary, ["1", "1"])
        defer { workload.stop() }
        let output = directory.appendingPathComponent("out.folded").path
        let result = try run(scorchPath, ["record", "--pid", "\(workload.pid)", "--duration", "1s", "--format", "folded", "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let parts = line.split(separator: " ")
            #expect(parts.count >= 2 && Int(parts.last!) != nil, "stack then count: \(line)")
        }
        #expect(lines.contains { $0.hasPrefix("fold;") && $0.contains(";main;work;hot_a ") }, "\(lines.prefix(5))")
    }
}

/// Interruption and the idle task.
@Suite(.serialized)
struct RecordLifecycleTests {
    @Test func ctrlCEndsTheRecordingEarlyAndStillWritesTheProfile() throws {
        let directory = try makeTemporaryDirectory()
        let output = directory.appendingPathComponent("interrupted.pb.gz").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: scorchPath)
        process.arguments = ["record", "--duration", "60s", "--output", output]
        let stderr = Pipe()
        process.standardError = stderr
        let started = Date()
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let summary = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(summary)")
        #expect(Date().timeIntervalSince(started) < 20, "stopped long before 60 s")
        let profile = try Profile(pprof: [UInt8](Data(contentsOf: URL(fileURLWithPath: output))))
        #expect(profile.durationNanos > 1_000_000_000 && profile.durationNanos < 20_000_000_000)
        #expect(summary.contains("wrote \(output)"))
    }

    @Test func idleSamplesAreCountedAndKeptOnlyWhenAsked() throws {
        let directory = try makeTemporaryDirectory()
        // Two CPUs, mostly idle in a test run: the idle task is sampled.
        let (without, result) = try record(["--duration", "1s", "--frequency", "199"], in: directory)
        #expect(!without.samples.contains { $0.labels.contains { $0.key == "pid" && $0.number == 0 } })
        #expect(result.stderr.contains("idle samples left out: "), "\(result.stderr)")
        let (with, _) = try record(["--duration", "1s", "--frequency", "199", "--include-idle"], in: directory)
        let idle = with.samples.filter { $0.labels.contains { $0.key == "pid" && $0.number == 0 } }
        #expect(!idle.isEmpty, "pid 0 samples are kept with --include-idle")
    }
}
