import Logging
import ProfileModel

extension ProfileStore {
    /// Executes one rewrite; the caller holds the maintenance lock.
    ///
    /// Crash-safe at every step:
    /// 1. Read, merge and encode the output blocks into `NNNNNNNN.seg.tmp` (no lock held; a crash leaves a `.tmp`
    ///    file that the next open deletes, and the inputs untouched).
    /// 2. `fsync` it, rename it over `NNNNNNNN.seg` (the last input) and `fsync` the directory. From here on the new
    ///    file is the segment; its header lists the other inputs as superseded, so every reader ignores them and
    ///    the next writer open deletes them if step 4 did not happen.
    /// 3. Swap the index entries (index lock, in memory only).
    /// 4. Delete the superseded inputs and `fsync` the directory.
    ///
    /// - Returns: the number of window blocks merged into compacted blocks.
    @discardableResult
    func rewrite(_ plan: RewritePlan, activity: String, state: inout MaintenanceState) throws(StoreError) -> Int {
        let outputName = StorageFormat.segmentFileName(plan.outputID)
        let consequence = "the store is unchanged"
        let header = SegmentHeader(
            id: plan.outputID, superseded: supersededIDs(for: plan), version: options.formatVersion)
        var builder: SegmentBuilder
        do {
            builder = try SegmentBuilder(header: header, segmentsDirectory: segmentsPath)
        } catch {
            throw .system(
                error, store: directory, while: "\(activity): creating \(outputName).tmp", consequence: consequence)
        }
        var records: [BlockRecord] = []
        var dictionaries = RewriteDictionaries()
        for item in plan.items {
            if case .copy(let ref) = item, ref.record.header.codec == .zstdWithDictionary,
                ref.record.header.kind == .compacted
            {
                dictionaries.usedByCompacted.insert(ref.record.header.dictionaryID)
            }
        }
        var merged = 0
        do throws(StoreError) {
            func append(_ frame: [UInt8]) throws(StoreError) -> Int64 {
                do {
                    return try builder.append(frame)
                } catch {
                    throw .system(
                        error, store: directory, while: "\(activity): writing \(outputName).tmp",
                        consequence: consequence)
                }
            }
            for item in plan.items {
                guard let output = try outputBlock(for: item, plan: plan, dictionaries: &dictionaries, state: &state)
                else { continue }
                if let dictionary = output.newDictionary {
                    // Two copies, so that one damaged copy does not cost the blocks that need it.
                    var copies: [DictionaryRecord] = []
                    for _ in 0..<2 {
                        let offset = try append(dictionary.frame)
                        copies.append(
                            DictionaryRecord(
                                offset: offset, header: dictionary.header, vocabulary: dictionary.vocabulary))
                    }
                    dictionaries.written[dictionary.header.dictionaryID] = (dictionary.content, copies)
                }
                let offset = try append(output.block.frame)
                var record = BlockRecord(offset: offset, header: output.block.header, meta: output.block.meta)
                if output.block.header.codec == .zstdWithDictionary {
                    record.dictionaryCopies = dictionaries.written[output.block.header.dictionaryID]?.copies ?? []
                }
                records.append(record)
                merged += output.windows
            }
            do {
                try builder.commit(segmentsDirectory: segmentsPath)
            } catch {
                throw .system(
                    error, store: directory, while: "\(activity): replacing \(outputName)", consequence: consequence)
            }
        } catch {
            builder.abandon()
            throw error
        }

        let output = SegmentRecord(
            file: builder.file, header: header, blocks: records,
            dictionaries: dictionaries.written.values.flatMap(\.copies).sorted { $0.offset < $1.offset },
            size: builder.size, scannedEnd: builder.size)
        let inputIDs = Set(plan.inputs.map(\.id))
        index.withLock { index in
            index.segments.removeAll { inputIDs.contains($0.id) }
            let position = index.segments.firstIndex { $0.id > output.id } ?? index.segments.count
            index.segments.insert(output, at: position)
            index.statistics.segmentsRewritten += plan.inputs.count
        }
        for id in header.superseded {
            try removeFile(
                segmentPath(id), while: "\(activity): removing superseded segment \(StorageFormat.segmentFileName(id))")
        }
        if !header.superseded.isEmpty { try syncSegmentsDirectory(while: "\(activity): removing superseded segments") }
        return merged
    }

    /// The ids the output supersedes: the other inputs, and any segment an input superseded whose file still
    /// exists (a deletion that failed), so it can never reappear next to the data that replaced it.
    private func supersededIDs(for plan: RewritePlan) -> [UInt64] {
        var ids = Set(plan.inputs.map(\.id))
        ids.remove(plan.outputID)
        for id in plan.inputs.flatMap(\.header.superseded) where (try? FileSystem.identity(of: segmentPath(id))) != nil
        {
            ids.insert(id)
        }
        return ids.sorted()
    }

    /// What one plan item produces: the block, the dictionary frame to write (twice) before it if the output does
    /// not have that dictionary yet, and the number of window blocks it merged. Nil when all its blocks turned out
    /// damaged (they are reported).
    private func outputBlock(
        for item: RewritePlan.Item, plan: RewritePlan, dictionaries: inout RewriteDictionaries,
        state: inout MaintenanceState
    ) throws(StoreError) -> (block: EncodedBlock, newDictionary: DictionaryFrame?, windows: Int)? {
        switch item {
        case .copy(let ref):
            let frame: [UInt8]
            do {
                frame = try ref.file.read(at: ref.record.offset, count: Int(ref.record.frameLength))
            } catch {
                throw .system(
                    error, store: directory, while: "reading segment \(StorageFormat.segmentFileName(ref.file.id))")
            }
            let payloadStart = Int(ref.record.payloadOffset - ref.record.offset)
            guard frame.count == Int(ref.record.frameLength),
                CRC32C.checksum(frame[payloadStart...]) == ref.record.header.payloadChecksum
            else {
                markDamaged(ref, reason: "payload checksum mismatch")
                return nil
            }
            let header = ref.record.header
            let copied = EncodedBlock(frame: frame, header: header, meta: ref.record.meta)
            if options.formatVersion < 2 && (header.codec != .zstd || header.flags != 0) {
                return try recompressed(ref).map { ($0, nil, 0) }
            }
            guard header.codec == .zstdWithDictionary else { return (copied, nil, 0) }
            switch try dictionaryFrame(for: ref, dictionaries: &dictionaries) {
            case .inOutput: return (copied, nil, 0)
            case .write(let dictionary): return (copied, dictionary, 0)
            case .conflict: return try recompressed(ref).map { ($0, nil, 0) }
            case .damaged: return nil
            }
        case .merge(let refs):
            var profiles: [Profile] = []
            var used: [BlockRef] = []
            for ref in refs {
                guard let profile = try readProfile(ref) else { continue }
                profiles.append(profile)
                used.append(ref)
            }
            guard !profiles.isEmpty else { return nil }
            let windows = used.filter { $0.record.header.kind == .window }.count
            let merged: Profile
            do {
                merged = try Profile.merge(profiles)
            } catch {
                throw StoreError(
                    .invalidProfile, "store \(directory): cannot merge windows: \(error.message)", cause: error)
            }
            func encode(_ dictionary: BlockDictionary?) throws(StoreError) -> EncodedBlock {
                do {
                    return try BlockCodec.encode(
                        merged, kind: .compacted, start: used.map(\.record.header.start).min() ?? 0,
                        end: used.map(\.record.header.end).max() ?? 0,
                        windowCount: used.reduce(0) { $0 + $1.record.meta.windowCount },
                        level: options.compressionLevel, dictionary: dictionary,
                        compactMetadata: options.formatVersion >= 2
                    ).block
                } catch {
                    throw StoreError(
                        .tooLarge, "store \(directory): cannot encode a compacted block: \(error.message)", cause: error
                    )
                }
            }
            guard options.formatVersion >= 2 else { return (try encode(nil), nil, windows) }
            // Dictionaries whose id the output already holds with other content cannot be used.
            func usable(_ dictionary: BlockDictionary?) -> BlockDictionary? {
                guard let dictionary else { return nil }
                guard let written = dictionaries.written[dictionary.id] else { return dictionary }
                return written.content == dictionary.content ? dictionary : nil
            }
            let available = plan.inputs.flatMap { segment in segment.dictionaries.map { (segment.file, $0) } }
            let candidates = try state.candidates(for: used, available: available, load: loadDictionary)
            var blocks: [UInt32: EncodedBlock] = [:]
            var sized: [(dictionary: BlockDictionary, bytes: Int)?] = []
            for candidate in [usable(candidates.current), usable(candidates.merged)] {
                guard let candidate else {
                    sized.append(nil)
                    continue
                }
                let block = try encode(candidate)
                blocks[candidate.id] = block
                sized.append((candidate, block.frame.count))
            }
            let dictionary = state.choose(current: sized[0], merged: sized[1]) { dictionaries.isFree($0) }
            guard let dictionary, let block = blocks[dictionary.id] else { return (try encode(nil), nil, windows) }
            dictionaries.usedByCompacted.insert(dictionary.id)
            guard dictionaries.written[dictionary.id] == nil else { return (block, nil, windows) }
            logger.debug(
                "store \(directory): compacted blocks use dictionary \(dictionary.id) (\(dictionary.frame.count) bytes)"
            )
            let frame = DictionaryFrame(
                frame: dictionary.frame, header: dictionary.header, vocabulary: dictionary.vocabulary,
                content: dictionary.content)
            return (block, frame, windows)
        }
    }

    /// The dictionary of a frame in a segment, with its context, or nil when the frame is damaged (reported once).
    private func loadDictionary(_ file: SegmentFile, _ record: DictionaryRecord) throws(StoreError) -> BlockDictionary?
    {
        let name = StorageFormat.segmentFileName(file.id)
        let frame: [UInt8]
        do {
            frame = try file.read(at: record.offset, count: Int(record.frameLength))
        } catch {
            throw .system(error, store: directory, while: "reading segment \(name)")
        }
        do {
            return try BlockDictionary(frame: frame, record: record, level: options.compressionLevel)
        } catch {
            reportDamagedDictionary(file: file, record: record, reason: error.message)
            return nil
        }
    }

    /// Logs and counts a damaged dictionary frame, once per frame.
    func reportDamagedDictionary(file: SegmentFile, record: DictionaryRecord, reason: String) {
        let address = BlockAddress(file: file.identity, offset: record.offset)
        guard dictionaryCache.withLock({ $0.damagedCopies.insert(address).inserted }) else { return }
        index.withLock { $0.statistics.corruptBlocksSkipped += 1 }
        let message =
            "store \(directory): skipping a damaged copy of dictionary \(record.id) at offset \(record.offset) of "
            + "segment \(StorageFormat.segmentFileName(file.id)): \(reason)"
        logger.warning("\(message)")
    }

    /// A dictionary frame read from an input segment, to be copied into the output.
    struct DictionaryFrame {
        var frame: [UInt8]
        var header: BlockHeader
        var vocabulary: LabelSummary
        var content: [UInt8]
    }

    private enum DictionaryResolution {
        /// The output already has this dictionary.
        case inOutput
        /// The output needs this frame (twice) before the block.
        case write(DictionaryFrame)
        /// The output has another dictionary with the same id: the block must be recompressed.
        case conflict
        /// Every copy of the dictionary is damaged: the block cannot be read (it is reported).
        case damaged
    }

    /// Where the dictionary of the codec 2 block `ref` comes from in the output.
    private func dictionaryFrame(
        for ref: BlockRef, dictionaries: inout RewriteDictionaries
    ) throws(StoreError) -> DictionaryResolution {
        let id = ref.record.header.dictionaryID
        let key = DictionaryCache.Key(file: ref.file.identity, id: id)
        if let sameContent = dictionaries.resolved[key] { return sameContent ? .inOutput : .conflict }
        let name = StorageFormat.segmentFileName(ref.file.id)
        var intact: DictionaryFrame?
        for copy in ref.record.dictionaryCopies {
            let frame: [UInt8]
            do {
                frame = try ref.file.read(at: copy.offset, count: Int(copy.frameLength))
            } catch {
                throw .system(error, store: directory, while: "reading segment \(name)")
            }
            let payloadStart = StorageFormat.blockHeaderLength + copy.header.metaLength
            guard frame.count == Int(copy.frameLength),
                let content = try? BlockDictionary.content(payload: Array(frame[payloadStart...]), header: copy.header)
            else {
                reportDamagedDictionary(file: ref.file, record: copy, reason: "payload checksum or content mismatch")
                continue
            }
            intact = DictionaryFrame(frame: frame, header: copy.header, vocabulary: copy.vocabulary, content: content)
            break
        }
        guard let intact else {
            markDamaged(ref, reason: "every copy of its dictionary \(id) is damaged")
            return .damaged
        }
        if let written = dictionaries.written[id] {
            let same = written.content == intact.content
            dictionaries.resolved[key] = same
            return same ? .inOutput : .conflict
        }
        dictionaries.resolved[key] = true
        return .write(intact)
    }

    /// `ref` decoded and encoded again without a dictionary (codec 1), for an output that cannot hold it as it is.
    private func recompressed(_ ref: BlockRef) throws(StoreError) -> EncodedBlock? {
        guard let profile = try readProfile(ref) else { return nil }
        let header = ref.record.header
        do {
            return try BlockCodec.encode(
                profile, kind: header.kind, start: header.start, end: header.end,
                windowCount: ref.record.meta.windowCount, level: options.compressionLevel,
                compactMetadata: options.formatVersion >= 2
            ).block
        } catch {
            throw StoreError(
                .tooLarge, "store \(directory): cannot encode a block again: \(error.message)", cause: error)
        }
    }
}

/// The dictionaries a rewrite has put into its output segment.
struct RewriteDictionaries {
    /// Ids of the dictionaries compacted blocks of the output use (copied or merged): the output keeps their frames
    /// for good anyway. (Those only windows need leave with the windows, once compacted.)
    var usedByCompacted: Set<UInt32> = []
    /// By id: the content and the copies in the output.
    var written: [UInt32: (content: [UInt8], copies: [DictionaryRecord])] = [:]
    /// Input dictionaries already looked at: true when the output holds the same content under the same id, false
    /// when it holds another dictionary with that id.
    var resolved: [DictionaryCache.Key: Bool] = [:]

    /// Whether compacted blocks of the output need the frames of dictionary `id` anyway.
    func isFree(_ id: UInt32) -> Bool {
        usedByCompacted.contains(id)
    }
}
