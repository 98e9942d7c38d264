import Glibc

/// The few directory operations the store needs, each through ``retryingEINTR(_:path:_:)``.
enum FileSystem {
    /// Names of the entries of `directory`, without `.` and `..`, in no particular order.
    static func entries(of directory: String) throws(SystemCallError) -> [String] {
        guard let stream = opendir(directory) else {
            throw SystemCallError(call: "opendir", path: directory, errno: errno)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates `path` as a directory unless it exists (as a directory).
    static func makeDirectory(_ path: String) throws(SystemCallError) {
        if mkdir(path, 0o755) == 0 { return }
        let code = errno
        var status = stat()
        if code == EEXIST && stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR { return }
        throw SystemCallError(call: "mkdir", path: path, errno: code)
    }

    /// Whether `path` names an existing directory.
    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Device and inode of `path`, or nil if it does not exist.
    static func identity(of path: String) throws(SystemCallError) -> FileIdentity? {
        var status = stat()
        if stat(path, &status) == 0 { return FileIdentity(status) }
        if errno == ENOENT { return nil }
        throw SystemCallError(call: "stat", path: path, errno: errno)
    }

    /// Atomically replaces `destination` with `source` (same directory).
    static func rename(_ source: String, to destination: String) throws(SystemCallError) {
        _ = try retryingEINTR("rename", path: destination) { Glibc.rename(source, destination) }
    }

    /// Removes the file at `path`; a file that is already gone is not an error.
    static func remove(_ path: String) throws(SystemCallError) {
        if unlink(path) == 0 || errno == ENOENT { return }
        throw SystemCallError(call: "unlink", path: path, errno: errno)
    }

    /// `fsync` on a directory, so that creations, renames and removals in it are durable.
    static func syncDirectory(_ path: String) throws(SystemCallError) {
        let fd = try retryingEINTR("open", path: path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(fd) }
        _ = try retryingEINTR("fsync", path: path) { fsync(fd) }
    }
}
