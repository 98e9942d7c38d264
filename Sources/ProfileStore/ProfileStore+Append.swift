import Logging
import ProfileModel

extension ProfileStore {
    /// Stores one window durably: when this returns, the block is on stable storage (see the type's documentation).
    ///
    /// The profile is normalized with `Profile.merge([profile])` (which also validates it), encoded, compressed and
    /// checksummed before the writer lock is taken; under the lock the frame is written at the end of the open
    /// segment and `fsync`ed. A new segment is started first when the frame would make the open one exceed
    /// ``StoreOptions/segmentBytes``.
    ///
    /// On a write failure (disk full, read-only file system, permission, I/O error) the partial frame is truncated
    /// away, the failure is counted in ``StoreStatistics/writeErrors``, and the store stays consistent: the next
    /// append works again once the cause is gone.
    ///
    /// - Parameters:
    ///   - profile: the window's profile.
    ///   - start: start of the window, ns since the Unix epoch (inclusive).
    ///   - end: end of the window (exclusive), not before `start`.
    /// - Returns: the bytes written (the block frame, plus a segment header if a segment was created).
    /// - Throws: ``StoreError`` with a one-line message ending in "the window was not stored".
    @discardableResult
    public func append(_ profile: Profile, start: Int64, end: Int64) throws(StoreError) -> Int {
        try requireWritable("append a window")
        let notStored = "the window was not stored"
        guard start <= end else {
            throw StoreError(
                .invalidArgument, "store \(directory): window ends (\(end)) before it starts (\(start)); \(notStored)")
        }
        let normalized: Profile
        do {
            normalized = try Profile.merge([profile])
        } catch {
            throw StoreError(.invalidProfile, "store \(directory): \(error.message); \(notStored)", cause: error)
        }
        let block: EncodedBlock
        do {
            block = try BlockCodec.encode(
                normalized, kind: .window, start: start, end: end, windowCount: 1, level: options.compressionLevel)
        } catch {
            throw StoreError(.tooLarge, "store \(directory): \(error.message); \(notStored)", cause: error)
        }
        return try writer.withLock { (state) throws(StoreError) -> Int in
            do throws(StoreError) {
                return try write(block, state: &state)
            } catch {
                throw counted(error)
            }
        }
    }

    /// Writes `block` at the end of the open segment (starting one if needed), `fsync`s, and indexes it.
    private func write(_ block: EncodedBlock, state: inout WriterState) throws(StoreError) -> Int {
        var written = 0
        if let open = state.open, open.blockCount > 0,
            open.size + Int64(block.frame.count) > Int64(options.segmentBytes)
        {
            seal(&state)
        }
        if state.open == nil { written += try startSegment(&state) }
        guard var open = state.open else {
            throw StoreError(.ioError, "store \(directory): no open segment; the window was not stored")
        }
        let name = StorageFormat.segmentFileName(open.file.id)
        do {
            try open.file.write(block.frame, at: open.size)
        } catch {
            discardPartialWrite(&state, name: name)
            throw .system(
                error, store: directory, while: "writing segment \(name)", consequence: "the window was not stored")
        }
        do {
            try open.file.sync()
        } catch {
            // After a failed fsync the kernel may have dropped dirty pages: never append to this file again.
            discardPartialWrite(&state, name: name)
            seal(&state)
            throw .system(
                error, store: directory, while: "syncing segment \(name)", consequence: "the window was not stored")
        }
        let record = BlockRecord(offset: open.size, header: block.header, meta: block.meta)
        open.size += Int64(block.frame.count)
        open.blockCount += 1
        state.open = open
        written += block.frame.count
        index.withLock { index in
            if let position = index.position(of: open.file.id) {
                index.segments[position].blocks.append(record)
                index.segments[position].size = open.size
                index.segments[position].scannedEnd = open.size
            }
            index.statistics.windowsAppended += 1
            index.statistics.bytesAppended += Int64(written)
        }
        return written
    }

    /// Cuts a failed write back to the last committed block; seals the segment if even that fails.
    private func discardPartialWrite(_ state: inout WriterState, name: String) {
        guard let open = state.open else { return }
        do {
            try open.file.truncate(to: open.size)
        } catch {
            logger.error(
                "store \(directory): cannot truncate segment \(name) after a failed write (\(error)); sealing it")
            seal(&state)
        }
    }

    /// Stops appending to the open segment; the next append starts a new one. The caller holds the writer lock.
    func seal(_ state: inout WriterState) {
        guard state.open != nil else { return }
        state.open = nil
        index.withLock { $0.openSegmentID = nil }
    }

    /// Creates the next segment: header written to `NNNNNNNN.seg.tmp`, `fsync`, renamed into place, directory
    /// `fsync`ed, so a segment file is never visible without a complete header.
    ///
    /// - Returns: the bytes of the header.
    private func startSegment(_ state: inout WriterState) throws(StoreError) -> Int {
        let id = state.nextSegmentID
        let name = StorageFormat.segmentFileName(id)
        let header = SegmentHeader(id: id, superseded: [])
        let file: SegmentFile
        do throws(SystemCallError) {
            let builder = try SegmentBuilder(header: header, segmentsDirectory: segmentsPath)
            do {
                try builder.commit(segmentsDirectory: segmentsPath)
            } catch {
                builder.abandon()
                throw error
            }
            file = builder.file
        } catch {
            throw .system(
                error, store: directory, while: "creating segment \(name)", consequence: "the window was not stored")
        }
        state.nextSegmentID = id + 1
        let bytes = header.encoded().count
        state.open = OpenSegment(file: file, size: Int64(bytes), blockCount: 0)
        let record = SegmentRecord(file: file, header: header, blocks: [], size: Int64(bytes), scannedEnd: Int64(bytes))
        index.withLock { index in
            index.segments.append(record)
            index.openSegmentID = id
        }
        logger.debug("store \(directory): started segment \(name)")
        return bytes
    }
}
