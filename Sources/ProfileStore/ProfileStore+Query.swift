import Logging
import ProfileModel

extension ProfileStore {
    /// The merge of every stored block that overlaps `[from, to)`, keeping only samples whose labels satisfy
    /// `predicate`.
    ///
    /// Blocks are whole: a compacted block (``StoreOptions/compactedResolution`` long) that overlaps the range
    /// contributes all of its samples. The result is `Profile.merge` of the blocks' profiles in time order, so its
    /// ``Profile/timeNanos`` is the earliest window start and ``Profile/durationNanos`` the span to the latest end.
    /// When nothing matches, the result is an empty profile (no samples, zero time) with the sample types of the
    /// newest stored block, or ``StoreOptions/sampleTypesWhenEmpty`` for an empty store.
    ///
    /// Blocks whose sample types differ from the newest matching block's are left out, counted in
    /// ``StoreStatistics/incompatibleBlocksSkipped`` and mentioned in a comment of the result. Damaged blocks are
    /// skipped, logged and counted in ``StoreStatistics/corruptBlocksSkipped``.
    ///
    /// - Parameters:
    ///   - from: start of the range, ns since the Unix epoch (inclusive).
    ///   - to: end of the range (exclusive).
    ///   - blocks: decides from a block's metadata (its ``LabelSummary`` in particular) whether it can contain
    ///     matching samples; blocks it rejects are not read. Nil reads every block in range.
    ///   - predicate: keeps a sample when it returns true for the sample's labels; nil keeps all. With a predicate,
    ///     locations, functions and mappings no kept sample refers to are dropped.
    /// - Throws: ``StoreError`` when a segment cannot be read (I/O), or `from > to`.
    public func query(
        from: Int64, to: Int64, blocks blockFilter: ((StoredWindowInfo) -> Bool)? = nil,
        where predicate: (([Label]) -> Bool)? = nil
    ) throws(StoreError) -> Profile {
        guard from <= to else {
            throw StoreError(
                .invalidArgument, "store \(directory): query range ends (\(to)) before it starts (\(from))")
        }
        let (all, newest) = try snapshot()
        var refs = all.filter { $0.record.overlaps(from: from, to: to) }
        if let blockFilter { refs = refs.filter { blockFilter($0.info()) } }
        refs.sort(by: Self.timeOrder)

        guard let reference = refs.max(by: Self.endOrder)?.record.meta ?? newest else {
            return Profile(sampleTypes: options.sampleTypesWhenEmpty)
        }
        var merger = QueryMerger()
        var incompatible = 0
        for ref in refs {
            let meta = ref.record.meta
            guard meta.sampleTypes == reference.sampleTypes,
                meta.periodType == nil || reference.periodType == nil || meta.periodType == reference.periodType
            else {
                incompatible += 1
                continue
            }
            guard let (parsed, dictionary) = try readParsed(ref) else { continue }
            do {
                try merger.add(parsed, dictionary: dictionary, predicate: predicate)
            } catch {
                markDamaged(ref, reason: error.message)
            }
        }
        if incompatible > 0 {
            index.withLock { $0.statistics.incompatibleBlocksSkipped += incompatible }
            let types = reference.sampleTypes.map(\.description)
            logger.warning(
                "store \(directory): query left out \(incompatible) blocks whose sample types differ from \(types)")
        }
        var result =
            merger.result()
            ?? Profile(sampleTypes: reference.sampleTypes, periodType: reference.periodType, period: reference.period)
        if incompatible > 0 {
            result.comments.append(
                "scorch store: left out \(incompatible) blocks whose sample types differ from "
                    + reference.sampleTypes.map(\.description).joined(separator: ", "))
        }
        return result
    }

    /// Metadata of every stored block that overlaps `[from, to)`, in time order, without reading payloads.
    public func windows(from: Int64, to: Int64) throws(StoreError) -> [StoredWindowInfo] {
        try snapshot().refs.filter { $0.record.overlaps(from: from, to: to) }.sorted(by: Self.timeOrder).map {
            $0.info()
        }
    }

    /// All readable blocks and the metadata of the newest one; a read-only store rescans the directory first.
    func snapshot() throws(StoreError) -> (refs: [BlockRef], newest: BlockMeta?) {
        if options.readOnly { try refresh() }
        let refs = index.withLock { $0.allBlocks() }
        return (refs, refs.max(by: Self.endOrder)?.record.meta)
    }

    /// The parsed payload of one block and the key of its dictionary (for ``QueryMerger``), or nil when the block is
    /// damaged (then it is reported and remembered).
    ///
    /// - Throws: ``StoreError`` only when the read itself fails.
    func readParsed(_ ref: BlockRef) throws(StoreError) -> (PayloadDecoder.Parsed, DictionaryCache.Key?)? {
        let header = ref.record.header
        let payload = try readPayload(ref)
        var dictionary: LoadedDictionary?
        var key: DictionaryCache.Key?
        if header.codec == .zstdWithDictionary {
            dictionary = try decompressionDictionary(for: ref)
            guard dictionary != nil else {
                markDamaged(ref, reason: "every copy of its dictionary \(header.dictionaryID) is damaged")
                return nil
            }
            key = DictionaryCache.Key(file: ref.file.identity, id: header.dictionaryID)
        }
        do {
            return (try BlockCodec.parse(payload: payload, header: header, dictionary: dictionary), key)
        } catch {
            markDamaged(ref, reason: error.message)
            return nil
        }
    }

    /// The stored (compressed) payload of one block.
    func readPayload(_ ref: BlockRef) throws(StoreError) -> [UInt8] {
        do {
            return try ref.file.read(at: ref.record.payloadOffset, count: ref.record.header.payloadLength)
        } catch {
            throw .system(
                error, store: directory, while: "reading segment \(StorageFormat.segmentFileName(ref.file.id))")
        }
    }

    /// The profile of one block, or nil when the block is damaged (then it is reported and remembered).
    ///
    /// - Throws: ``StoreError`` only when the read itself fails.
    func readProfile(_ ref: BlockRef) throws(StoreError) -> Profile? {
        let header = ref.record.header
        let payload = try readPayload(ref)
        var dictionary: LoadedDictionary?
        if header.codec == .zstdWithDictionary {
            dictionary = try decompressionDictionary(for: ref)
            guard dictionary != nil else {
                markDamaged(ref, reason: "every copy of its dictionary \(header.dictionaryID) is damaged")
                return nil
            }
        }
        let profile: Profile
        do {
            profile = try BlockCodec.decode(payload: payload, header: header, dictionary: dictionary)
        } catch {
            markDamaged(ref, reason: error.message)
            return nil
        }
        do {
            try profile.validate()
        } catch {
            markDamaged(ref, reason: error.message)
            return nil
        }
        return profile
    }

    /// The decompression dictionary of a codec 2 block: from the cache, or from the first of its copies whose
    /// payload is intact (damaged copies are reported once, counted in ``StoreStatistics/corruptBlocksSkipped``).
    /// Nil when every copy is damaged.
    ///
    /// - Throws: ``StoreError`` only when reading fails.
    func decompressionDictionary(for ref: BlockRef) throws(StoreError) -> LoadedDictionary? {
        let key = DictionaryCache.Key(file: ref.file.identity, id: ref.record.header.dictionaryID)
        if let cached = dictionaryCache.withLock({ $0.dictionary(for: key) }) { return cached }
        let name = StorageFormat.segmentFileName(ref.file.id)
        for copy in ref.record.dictionaryCopies {
            let payload: [UInt8]
            do {
                payload = try ref.file.read(at: copy.payloadOffset, count: copy.header.payloadLength)
            } catch {
                throw .system(error, store: directory, while: "reading segment \(name)")
            }
            do {
                let content = try BlockDictionary.content(payload: payload, header: copy.header)
                let dictionary = try LoadedDictionary(content: content)
                dictionaryCache.withLock { $0.insert(dictionary, for: key) }
                return dictionary
            } catch {
                reportDamagedDictionary(file: ref.file, record: copy, reason: error.message)
            }
        }
        return nil
    }

    /// Remembers a damaged block so it is skipped from now on; logs and counts it the first time.
    func markDamaged(_ ref: BlockRef, reason: String) {
        let isNew = index.withLock { index in
            let inserted = index.badBlocks.insert(ref.address).inserted
            if inserted { index.statistics.corruptBlocksSkipped += 1 }
            return inserted
        }
        guard isNew else { return }
        let message =
            "store \(directory): skipping the damaged block at offset \(ref.record.offset) of segment "
            + "\(StorageFormat.segmentFileName(ref.file.id)) (\(ref.record.header.start)..<\(ref.record.header.end)): "
            + reason
        logger.warning("\(message)")
    }

    /// Time order of blocks: by start, then end, then position on disk.
    static func timeOrder(_ a: BlockRef, _ b: BlockRef) -> Bool {
        let x = a.record.header
        let y = b.record.header
        if x.start != y.start { return x.start < y.start }
        if x.end != y.end { return x.end < y.end }
        if a.file.id != b.file.id { return a.file.id < b.file.id }
        return a.record.offset < b.record.offset
    }

    /// Order by end (then start), for finding the newest block.
    static func endOrder(_ a: BlockRef, _ b: BlockRef) -> Bool {
        let x = a.record.header
        let y = b.record.header
        if x.end != y.end { return x.end < y.end }
        return x.start < y.start
    }
}
