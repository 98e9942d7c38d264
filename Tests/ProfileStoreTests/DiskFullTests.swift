import Foundation
import ProfileModel
import Testing

@testable import ProfileStore

/// Real full and read-only file systems: a 256 KiB tmpfs (the tests run as root).
@Suite(.serialized) struct DiskFullTests {
    let workload = Workload.small

    /// Mounts a tmpfs of `size` on a fresh directory, runs `body`, unmounts. Records an issue (and skips `body`)
    /// when mounting is impossible here.
    private func withTmpfs(size: String, _ body: (String) throws -> Void) throws {
        let directory = try TemporaryDirectory("scorch-tmpfs")
        defer { directory.remove() }
        let mount = try run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", directory.path])
        guard mount.status == 0 else {
            Issue.record("cannot mount a tmpfs (are we root?): \(mount.output)")
            return
        }
        defer { _ = try? run("/bin/umount", [directory.path]) }
        try body(directory.path)
    }

    @Test func fullDiskFailsCleanlyAndRecovers() throws {
        try withTmpfs(size: "256k") { mountPoint in
            let path = mountPoint + "/store"
            // A filler file we can delete later to give space back.
            try writeBytes([UInt8](repeating: 7, count: 64 << 10), to: mountPoint + "/filler")
            let recorder = LogRecorder()
            let store = try openStore(path, recorder: recorder)
            var written: [Profile] = []
            var failure: StoreError?
            for index in 0..<5000 {
                do {
                    written += try appendWindows(store, workload, index..<index + 1)
                } catch let error as StoreError {
                    failure = error
                    break
                }
            }
            let error = try #require(failure)
            #expect(error.code == .diskFull)
            #expect(error.errno == ENOSPC)
            #expect(
                error.message
                    == "store \(path): disk full (ENOSPC) writing segment 00000001.seg; the window was not stored")
            #expect(store.statistics.writeErrors[.diskFull] == 1)
            #expect(written.count > 5)

            // Consistent: the partial block is gone, every committed window reads back.
            let segment = path + "/segments/00000001.seg"
            #expect(Int64(try fileSize(segment)) == store.statistics.bytesOnDisk)
            #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(written))
            let reader = try openStore(path, readOnlyOptions)
            #expect(try reader.query(from: everything.from, to: everything.to) == Profile.merge(written))
            #expect(reader.statistics.corruptBlocksSkipped == 0)

            // Still full: fails again, counted again.
            #expect(throws: StoreError.self) {
                try store.append(
                    workload.window(written.count), start: workload.range(written.count).start,
                    end: workload.range(written.count).end)
            }
            #expect(store.statistics.writeErrors[.diskFull] == 2)

            // Space comes back: appends work again.
            try FileManager.default.removeItem(atPath: mountPoint + "/filler")
            written += try appendWindows(store, workload, written.count..<written.count + 3)
            #expect(try store.query(from: everything.from, to: everything.to) == Profile.merge(written))
            #expect(recorder.messages().isEmpty, "\(recorder.messages())")
        }
    }

    @Test func fullDiskWhileStartingASegment() throws {
        try withTmpfs(size: "256k") { mountPoint in
            let path = mountPoint + "/store"
            var options = StoreOptions()
            options.segmentBytes = 8192
            let store = try openStore(path, options)
            var written: [Profile] = []
            var failure: StoreError?
            for index in 0..<5000 {
                do {
                    written += try appendWindows(store, workload, index..<index + 1)
                } catch let error as StoreError {
                    failure = error
                    break
                }
            }
            let error = try #require(failure)
            #expect(error.code == .diskFull)
            #expect(error.message.hasSuffix("; the window was not stored"))
            #expect(error.message.contains("disk full (ENOSPC)"))
            // No temporary file is left behind, and what was committed reads back after a reopen.
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: path + "/segments").filter {
                $0.hasSuffix(".tmp")
            }
            #expect(leftovers.isEmpty)
            do {
                let reader = try openStore(path, readOnlyOptions)
                #expect(try reader.query(from: everything.from, to: everything.to) == Profile.merge(written))
            }
            // Retention makes room and appends resume (once no reader keeps the deleted files open).
            var limited = options
            limited.maxBytes = 64 << 10
            _ = consume store
            let again = try openStore(path, limited)
            try again.enforceRetention(now: workload.range(written.count).end)
            try appendWindows(again, workload, written.count..<written.count + 2)
        }
    }

    @Test func readOnlyFileSystemIsAClearError() throws {
        try withTmpfs(size: "256k") { mountPoint in
            let path = mountPoint + "/store"
            var written: [Profile] = []
            do {
                let store = try openStore(path)
                written = try appendWindows(store, workload, 0..<3)
            }
            let remount = try run("/bin/mount", ["-o", "remount,ro", mountPoint])
            try #require(remount.status == 0, "\(remount.output)")
            #expect {
                try openStore(path)
            } throws: { error in
                let error = error as? StoreError
                return error?.code == .readOnlyFileSystem && error?.message.contains("(EROFS)") == true
                    && error?.message.hasPrefix("store \(path): file system is read-only") == true
            }
            let reader = try openStore(path, readOnlyOptions)
            #expect(try reader.query(from: everything.from, to: everything.to) == Profile.merge(written))
        }
    }
}
