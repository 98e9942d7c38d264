import Foundation
import Logging
import ProfileModel
import ProfileStore
import Testing

/// The browser UI end to end: a workload recorded with `scorch record` into a real store, `scorch serve` serving it
/// with the UI from web-static/, and Debian's headless Chromium (driven by Tests/UI/ui_driver.py through Playwright's
/// driver) loading the page, searching, zooming, reloading and autocompleting the selector. The driver only reports
/// what it saw; the assertions are here.
@Suite(.serialized)
struct UITests {
    let directory: URL

    init() throws {
        directory = try makeTemporaryDirectory()
    }

    /// The repository root (this file is Tests/ScorchTests/UITests.swift).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// What the driver saw, as it prints it.
    struct Report: Decodable {
        struct View: Decodable {
            struct Matched: Decodable {
                var total: Double
                var of: Double
                var text: String
            }
            struct State: Decodable {
                var from: String
                var selector: String
                var search: String
                var mode: String
                var zoom: [String]
            }
            var status: String
            var state: State
            var breadcrumb: [String]
            var matched: Matched?
            var labels: [String]
            var errors: [String]
            var url: String
        }
        struct Search: Decodable {
            var matched: View.Matched?
            var highlighted: [String]
            var notHighlighted: [String]
        }
        struct Outcome: Decodable {
            var status: String
        }
        struct Empty: Decodable {
            var status: String
            var text: String
        }
        struct BadTime: Decodable {
            var status: String
            var errors: [String]
            var invalidFields: [String]
        }
        var initial: View
        var nodeCount: Int
        var topRows: [String]
        var search: Search
        var zoomFound: Bool
        var tooltip: String?
        var zoomed: View
        var canvasWidth: Double
        var zoomedWidths: [String: Double]
        var reloaded: View
        var reloadedSearchField: String
        var afterBack: View
        var dragged: View
        var topSortedByName: [String]
        var nameSuggestions: [String]
        var valueSuggestions: [String]
        var selectorAfterName: String
        var consoleErrors: [String]
        var empty: Empty
        var badTime: BadTime
        struct Token: Decodable {
            struct Before: Decodable {
                var status: String
                var errors: [String]
                var asked: Bool
            }
            var before: Before
            var after: View
            var tokenInURL: Bool
        }
        var token: Token
        struct Diff: Decodable {
            var view: View
            var colors: [String: String]
            var tooltip: String
            var topCaption: String
        }
        var diff: Diff
    }

    /// Records `uisplit` twice with `scorch record --pid`: as `split 3 1` (hot_a 3 : hot_b 1, both called from
    /// `work`), stored as six 10 s windows that end a minute ago, and as `split 1 3`, stored 20 to 19 minutes ago as
    /// the base of a diff; as the agent would have written them.
    func recordStore() throws -> String {
        let binary = try compile(
            "/usr/bin/cc", workload: "split.c", as: "uisplit.c",
            flags: ["-O1", "-g", "-fno-omit-frame-pointer", "-fno-inline"], in: directory)
        func recording(_ a: String, _ b: String) throws -> Profile {
            let workload = try Workload(binary, [a, b])
            defer { workload.stop() }
            let (profile, _) = try record(
                ["--pid", "\(workload.pid)", "--duration", "2s", "--frequency", "199"], in: directory)
            try #require(profile.flat("hot_a") > 0 && profile.flat("hot_b") > 0, "the recording has the workload")
            return profile
        }
        let path = directory.appendingPathComponent("store").path
        let store = try ProfileStore(directory: path, options: StoreOptions(), logger: Logger(label: "ui-test"))
        let window: Int64 = 10_000_000_000
        let now = Int64(Date().timeIntervalSince1970) * 1_000_000_000
        let minute: Int64 = 60_000_000_000
        let sides = [(try recording("1", "3"), now - 19 * minute), (try recording("3", "1"), now - minute)]
        for (profile, end) in sides {
            for index in 0..<6 {
                let start = end - Int64(6 - index) * window
                var stored = profile
                stored.timeNanos = start
                stored.durationNanos = window
                try store.append(stored, start: start, end: start + window)
            }
        }
        return path
    }

    /// A TCP port that was free a moment ago on 127.0.0.1.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else { throw TestFailure("bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func browserShowsSearchesZoomsAndRestoresTheWorkload() throws {
        let python = Self.repository.appendingPathComponent(".build-venv/bin/python").path
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "\(python) is missing: run `make test-deps` (it installs Chromium and the pinned Python test tools)")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "run `make test-deps`")

        let started = Date()
        let store = try recordStore()
        let recorded = Date()
        let server = try Server(store: store, directory: directory, name: "serve")
        defer { server.stop() }
        let token = "ui-test-\(UUID().uuidString)"
        let guarded = try Server(
            store: store, directory: directory, name: "serve-token", extra: ["--auth-token", token])
        defer { guarded.stop() }

        // The screenshot is kept beside the test binary (in the build directory) as the test's artefact.
        let artifacts = URL(fileURLWithPath: scorchPath).deletingLastPathComponent()
            .appendingPathComponent("ui-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts.appendingPathComponent("ui-zoomed.png")
        try? FileManager.default.removeItem(at: screenshot)

        let driver = Self.repository.appendingPathComponent("Tests/UI/ui_driver.py").path
        let result = try run(python, [
            driver, "--url", server.url, "--from=-10m", "--selector", "{comm=\"uisplit\"}",
            "--search", "hot_a", "--zoom", "work", "--screenshot", screenshot.path, "--token-url", guarded.url,
            "--token", token, "--base-from=-30m", "--base-to=-12m",
        ])
        try #require(
            result.status == 0, "the driver failed: \(result.stderr)\nserver: \(server.output)\n\(guarded.output)")
        print("UI screenshot: \(screenshot.path)")
        print(
            String(
                format: "UI test: recording %.1f s, browser %.1f s", recorded.timeIntervalSince(started),
                Date().timeIntervalSince(recorded)))
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(FileManager.default.fileExists(atPath: screenshot.path))

        // The page loads, without console errors, and the canvas draws the workload's functions.
        #expect(report.consoleErrors.isEmpty, "console errors: \(report.consoleErrors)")
        #expect(report.initial.status == "ready", "\(report.initial.errors)")
        #expect(report.initial.errors.isEmpty)
        for function in ["work", "hot_a", "hot_b"] {
            #expect(report.initial.labels.contains(function), "\(function) is drawn: \(report.initial.labels)")
        }
        #expect(report.topRows.prefix(2).sorted() == ["hot_a", "hot_b"], "top functions: \(report.topRows)")
        #expect(report.topSortedByName == report.topRows.sorted(), "sorted by name: \(report.topSortedByName)")

        // Search highlights hot_a only and reports its share, about 3/4 of the workload's samples.
        #expect(report.search.highlighted == ["hot_a"], "highlighted: \(report.search.highlighted)")
        #expect(report.search.notHighlighted.contains("hot_b") && report.search.notHighlighted.contains("work"))
        let matched = try #require(report.search.matched)
        let share = matched.total * 100 / max(1, matched.of)
        #expect(abs(share - 75) < 8, "hot_a's matched share is \(share)%: \(matched.text)")
        #expect(matched.text.hasPrefix("matched ") && matched.text.hasSuffix("% of all"), "\(matched.text)")

        // A click on `work` zooms to it: the breadcrumb ends there and it spans the whole canvas.
        #expect(report.zoomFound, "a frame named work was drawn")
        #expect(report.tooltip?.contains("work") == true && report.tooltip?.contains("% of all") == true,
            "tooltip: \(report.tooltip ?? "none")")
        #expect(report.zoomed.breadcrumb.last == "work", "breadcrumb: \(report.zoomed.breadcrumb)")
        #expect(report.initial.breadcrumb.count == 1)
        #expect(report.zoomed.state.zoom.last == "work" && report.zoomed.state.mode == "flame")
        #expect(report.canvasWidth > 400 && (report.zoomedWidths["work"] ?? 0) >= report.canvasWidth - 1,
            "the zoomed frame spans the canvas (\(report.canvasWidth) px): \(report.zoomedWidths)")

        // The URL holds the view: a reload shows the same zoom, search, mode and selector.
        #expect(report.reloaded.url == report.zoomed.url)
        #expect(report.reloaded.breadcrumb == report.zoomed.breadcrumb, "\(report.reloaded.breadcrumb)")
        #expect(report.reloaded.state.zoom == report.zoomed.state.zoom)
        #expect(report.reloaded.state.mode == "flame" && report.reloaded.state.search == "hot_a")
        #expect(report.reloaded.state.selector == "{comm=\"uisplit\"}")
        #expect(report.reloadedSearchField == "hot_a")
        #expect(report.reloaded.matched?.text == report.zoomed.matched?.text)
        #expect(report.reloaded.labels == report.zoomed.labels, "the same frames are drawn after the reload")
        #expect(report.afterBack.breadcrumb.count == 1, "Back undoes the zoom: \(report.afterBack.breadcrumb)")

        // A drag over the timeline selects a range: absolute times in the URL, the workload still shown.
        let rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/
        #expect(report.dragged.state.from.wholeMatch(of: rfc3339) != nil, "from: \(report.dragged.state.from)")
        #expect(
            report.dragged.url.contains("from=20") && report.dragged.url.contains("to=20"), "\(report.dragged.url)")
        #expect(report.dragged.status == "ready" && report.dragged.labels.contains("hot_a"), "\(report.dragged)")

        // Autocomplete offers label names, then the values of the chosen label from the store.
        #expect(report.nameSuggestions.contains("comm"), "\(report.nameSuggestions)")
        #expect(report.selectorAfterName == "{comm=\"\"}", "\(report.selectorAfterName)")
        #expect(report.valueSuggestions.contains("uisplit"), "\(report.valueSuggestions)")

        // An empty range says so; a bad parameter shows the server's message.
        #expect(report.empty.status == "empty" && report.empty.text.contains("No samples"), "\(report.empty)")
        #expect(report.badTime.status == "error")
        #expect(report.badTime.errors.contains { $0.contains("HTTP 400") && $0.contains("yesterday-ish") },
            "\(report.badTime.errors)")
        #expect(report.badTime.invalidFields == ["from"], "the field the server named is marked")

        // A server with --auth-token: the page says so and asks; with the token it shows the workload, also after
        // a reload (the token is kept for the tab), and the token never enters the URL.
        #expect(report.token.before.status == "error" && report.token.before.asked, "\(report.token.before)")
        #expect(report.token.before.errors.contains { $0.contains("HTTP 401") }, "\(report.token.before.errors)")
        #expect(
            report.token.after.status == "ready" && report.token.after.labels.contains("hot_a"),
            "\(report.token.after)")
        #expect(!report.token.tokenInURL)

        // Diff against 20 minutes ago, when the workload ran as split 1 3: hot_a's share grew (red), hot_b's shrank
        // (green); the tooltip shows the base side, the top table ranks by change.
        #expect(report.diff.view.status == "ready", "\(report.diff.view.errors)")
        #expect(report.diff.colors["hot_a"]?.hasPrefix("hsl(0,") == true, "hot_a: \(report.diff.colors)")
        #expect(report.diff.colors["hot_b"]?.hasPrefix("hsl(130,") == true, "hot_b: \(report.diff.colors)")
        #expect(report.diff.tooltip.contains("base total") && report.diff.tooltip.contains("share change"))
        #expect(report.diff.topCaption.contains("by change against the base"), "\(report.diff.topCaption)")
    }

    /// `scorch serve` on a store and a free port, its stderr in a file; `stop()` ends it with SIGTERM.
    final class Server {
        let process = Process()
        let log: URL
        let url: String

        init(store: String, directory: URL, name: String, extra: [String] = []) throws {
            let port = try UITests.freePort()
            url = "http://127.0.0.1:\(port)"
            log = directory.appendingPathComponent("\(name).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = URL(fileURLWithPath: scorchPath)
            process.arguments = [
                "serve", "--store", store, "--listen", "127.0.0.1:\(port)",
                "--web-root", UITests.repository.appendingPathComponent("web-static").path,
            ] + extra
            process.standardError = try FileHandle(forWritingTo: log)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
        }

        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        /// SIGTERM, and SIGKILL if it is still running 5 s later (a stuck server must not hang the test run).
        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }
}
