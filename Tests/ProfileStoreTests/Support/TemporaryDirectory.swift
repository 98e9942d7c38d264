import Foundation

/// A fresh directory under the system temporary directory, removed (with everything in it) by ``remove()``.
struct TemporaryDirectory: Sendable {
    let path: String

    init(_ prefix: String = "scorch-store-test") throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// `path/name`.
    func appending(_ name: String) -> String { path + "/" + name }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The segment files of a store directory, sorted by name.
func segmentFiles(_ store: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: store + "/segments").filter { $0.hasSuffix(".seg") }.sorted()
        .map { store + "/segments/" + $0 }
}

/// The bytes of a file.
func readBytes(_ path: String) throws -> [UInt8] {
    try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Replaces a file's contents.
func writeBytes(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Size of a file in bytes.
func fileSize(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}
