import Foundation
import Glibc

/// The directory the UI is served from, and the one function that maps a request path to a file in it.
///
/// Nothing outside the directory is ever served: the path is percent-decoded once, `..` segments, NUL and
/// backslashes are refused outright, and the file's real path (symbolic links resolved) must still lie inside the
/// directory's real path, so a link pointing out of the root is not followed.
struct WebRoot: Sendable {
    /// The directory as configured.
    let path: String
    /// Its real path, or nil when it does not exist (then the API still works and `/` says where the UI was
    /// expected).
    let realPath: String?
    let maxFileBytes: Int

    init(path: String, maxFileBytes: Int) {
        self.path = path
        self.maxFileBytes = maxFileBytes
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            realPath = Self.resolved(path)
        } else {
            realPath = nil
        }
    }

    /// A file to send.
    struct File: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    enum Lookup: Sendable {
        case file(File)
        /// Nothing to serve at this path; the message says why.
        case notFound(String)
        /// The path itself is unacceptable (`..`, bad encoding).
        case refused(String)
    }

    /// The file for the URL path `urlPath` (still percent-encoded): `/` and directories give their `index.html`.
    func lookup(_ urlPath: String) -> Lookup {
        guard let root = realPath else {
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            return .notFound(
                "the web UI was expected in \(absolute), which does not exist; start the server with "
                    + "--web-root pointing at the repository's web-static directory. The API works without it: "
                    + "see /api/v1/openapi.yaml")
        }
        guard let decoded = urlPath.removingPercentEncoding else {
            return .refused("the path is not valid percent-encoding")
        }
        guard !decoded.contains("\0"), !decoded.contains("\\") else {
            return .refused("the path contains a NUL byte or a backslash")
        }
        let segments = decoded.split(separator: "/").filter { $0 != "." }
        guard !segments.contains("..") else { return .refused("the path may not contain '..'") }
        var candidate = root + (segments.isEmpty ? "" : "/" + segments.joined(separator: "/"))
        guard var real = Self.resolved(candidate), isInside(real, root: root) else {
            return .notFound("no such file: \(urlPath)")
        }
        if isDirectory(real) {
            candidate = real + "/index.html"
            guard let index = Self.resolved(candidate), isInside(index, root: root) else {
                return .notFound("no index.html in \(urlPath)")
            }
            real = index
        }
        guard isRegularFile(real) else { return .notFound("no such file: \(urlPath)") }
        guard let bytes = read(real) else { return .notFound("cannot read \(urlPath)") }
        return .file(File(bytes: bytes, contentType: ContentType.ofFile(real)))
    }

    private func isInside(_ real: String, root: String) -> Bool {
        real == root || real.hasPrefix(root == "/" ? "/" : root + "/")
    }

    /// The real path of `path` (every symbolic link resolved), or nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    private func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    private func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && Int(info.st_size) <= maxFileBytes
    }

    private func read(_ path: String) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd(), data.count <= maxFileBytes else { return nil }
        return [UInt8](data)
    }
}
