import Foundation
import ProfileModel
import Testing

/// Pins the encodings of `Fixtures.small()`. Run with `SCORCH_UPDATE_GOLDEN=1` to rewrite the files after an
/// intended change, then review the diff.
@Suite struct GoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let updating = ProcessInfo.processInfo.environment["SCORCH_UPDATE_GOLDEN"] == "1"

    @Test func pprofBytes() throws {
        try check(Fixtures.small().pprofData(compressed: false), against: "small.pb")
    }

    @Test func foldedStacks() throws {
        try check(Array(FoldedStacks.render(Fixtures.small()).utf8), against: "small.folded")
    }

    @Test func topReport() throws {
        try check(Array(TopReport(Fixtures.small()).render().utf8), against: "small.top")
    }

    @Test func goldenPprofDecodesToFixture() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent("small.pb")))
        #expect(try Profile(pprof: bytes) == Fixtures.small())
    }

    private func check(_ actual: [UInt8], against name: String) throws {
        let url = Self.directory.appendingPathComponent(name)
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try Data(actual).write(to: url)
            return
        }
        let expected = try [UInt8](Data(contentsOf: url))
        #expect(
            actual == expected,
            "\(name) differs from the golden file; if the change is intended, rerun with SCORCH_UPDATE_GOLDEN=1")
        if actual != expected, let text = String(validating: actual, as: UTF8.self) {
            Issue.record("actual \(name):\n\(text)")
        }
    }
}
