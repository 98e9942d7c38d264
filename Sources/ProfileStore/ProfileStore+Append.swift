import Logging
import ProfileModel

extension ProfileStore {
    /// Stores one window durably: when this returns, the block is on stable storage (see the type's documentation).
    ///
    /// The profile is normalized with `Profile.merge([profile])` (which also validates it), encoded, compressed with
    /// the current dictionary (a new one when needed, see ``DictionaryPlanner``) and checksummed before the writer
    /// lock is taken; under the lock the frame is written at the end of the open segment, after two copies of the
    /// dictionary's frame if the segment lacks them, and `fsync`ed. A new segment is started first when the frames
    /// would make the open one exceed ``StoreOptions/segmentBytes``. Appends are serialized (the append lock).
    ///
    /// On a write failure (disk full, read-only file system, permission, I/O error) the partial frame is truncated
    /// away, the failure is counted in ``StoreStatistics/writeErrors``, and the store stays consistent: the next
    /// append works again once the cause is gone.
    ///
    /// - Parameters:
    ///   - profile: the window's profile.
    ///   - start: start of the window, ns since the Unix epoch (inclusive).
    ///   - end: end of the window (exclusive), not before `start`.
    /// - Returns: the bytes written (the block frame, plus dictionary frames and a segment header if they were
    ///   written).
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
        return try appending.withLock { (planner) throws(StoreError) -> Int in
            let (block, output) = try encode(normalized, start: start, end: end, planner: &planner)
            let written = try writer.withLock { (state) throws(StoreError) -> Int in
                do throws(StoreError) {
                    return try write(block, state: &state)
                } catch {
                    throw counted(error)
                }
            }
            if let output { planner.record(output, profile: normalized) }
            return written
        }
    }

    /// Encodes a window, with the current dictionary or a new one (format version 2; see ``DictionaryPlanner``).
    private func encode(
        _ profile: Profile, start: Int64, end: Int64, planner: inout DictionaryPlanner
    ) throws(StoreError) -> (EncodedBlock, ContextPayloadEncoder.Interned?) {
        let notStored = "the window was not stored"
        do {
            guard options.formatVersion >= 2 else {
                return try BlockCodec.encode(
                    profile, kind: .window, start: start, end: end, windowCount: 1, level: options.compressionLevel,
                    compactMetadata: false)
            }
            let (inOpenSegment, excluded) = writer.withLock { state -> (Bool, Set<UInt32>) in
                guard let open = state.open else { return (false, []) }
                let copies = planner.dictionary.map { open.dictionaryCopies[$0.id] ?? 0 } ?? 0
                return (copies >= 2, Set(open.dictionaryCopies.keys))
            }
            let maximumBytes = options.dictionaryBytes
            if planner.needsNewDictionary(start: start, inOpenSegment: inOpenSegment, maximumBytes: maximumBytes) {
                let dictionary = try planner.makeDictionary(
                    for: profile, start: start, end: end, level: options.compressionLevel, maximumBytes: maximumBytes,
                    excluding: excluded)
                let message =
                    "store \(directory): new dictionary \(dictionary.id): \(dictionary.content.count) bytes of "
                    + "content, \(dictionary.frame.count) bytes on disk (twice)"
                logger.debug("\(message)")
            }
            return try BlockCodec.encode(
                profile, kind: .window, start: start, end: end, windowCount: 1, level: options.compressionLevel,
                dictionary: planner.dictionary, compactMetadata: true)
        } catch {
            throw StoreError(.tooLarge, "store \(directory): \(error.message); \(notStored)", cause: error)
        }
    }

    /// Writes `block` at the end of the open segment (starting one if needed), preceded by two copies of its
    /// dictionary's frame unless the segment has them, `fsync`s, and indexes it.
    func write(_ block: EncodedBlock, state: inout WriterState) throws(StoreError) -> Int {
        var written = 0
        func prefix(_ open: OpenSegment?) -> [UInt8] {
            guard let dictionary = block.dictionary, (open?.dictionaryCopies[dictionary.id] ?? 0) < 2 else { return [] }
            return dictionary.frame + dictionary.frame
        }
        if let open = state.open, open.blockCount > 0,
            open.size + Int64(prefix(open).count + block.frame.count) > Int64(options.segmentBytes)
        {
            seal(&state)
        }
        if state.open == nil { written += try startSegment(&state) }
        guard var open = state.open else {
            throw StoreError(.ioError, "store \(directory): no open segment; the window was not stored")
        }
        let dictionaryFrames = prefix(open)
        let name = StorageFormat.segmentFileName(open.file.id)
        do {
            try open.file.write(dictionaryFrames + block.frame, at: open.size)
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
        var dictionaries: [DictionaryRecord] = []
        if let dictionary = block.dictionary, !dictionaryFrames.isEmpty {
            for copy in 0..<2 {
                dictionaries.append(
                    DictionaryRecord(
                        offset: open.size + Int64(copy * dictionary.frame.count), header: dictionary.header,
                        vocabulary: dictionary.vocabulary))
            }
            open.dictionaryCopies[dictionary.id, default: 0] += 2
        }
        let blockOffset = open.size + Int64(dictionaryFrames.count)
        var record = BlockRecord(offset: blockOffset, header: block.header, meta: block.meta)
        open.size = blockOffset + Int64(block.frame.count)
        open.blockCount += 1
        state.open = open
        written += dictionaryFrames.count + block.frame.count
        index.withLock { index in
            if let position = index.position(of: open.file.id) {
                index.segments[position].dictionaries += dictionaries
                if let id = block.dictionary?.id {
                    record.dictionaryCopies = index.segments[position].dictionaries.filter { $0.id == id }
                }
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
        let header = SegmentHeader(id: id, superseded: [], version: options.formatVersion)
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
