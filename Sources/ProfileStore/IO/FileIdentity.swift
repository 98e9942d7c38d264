import Glibc

/// The device and inode of a file: tells a renamed-over file from the one a descriptor still refers to.
struct FileIdentity: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64

    init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}
