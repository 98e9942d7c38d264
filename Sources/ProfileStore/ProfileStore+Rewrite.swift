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
    func rewrite(_ plan: RewritePlan, activity: String) throws(StoreError) -> Int {
        let outputName = StorageFormat.segmentFileName(plan.outputID)
        let consequence = "the store is unchanged"
        let header = SegmentHeader(id: plan.outputID, superseded: supersededIDs(for: plan))
        var builder: SegmentBuilder
        do {
            builder = try SegmentBuilder(header: header, segmentsDirectory: segmentsPath)
        } catch {
            throw .system(
                error, store: directory, while: "\(activity): creating \(outputName).tmp", consequence: consequence)
        }
        var records: [BlockRecord] = []
        var merged = 0
        do throws(StoreError) {
            for item in plan.items {
                guard let (block, windows) = try outputBlock(for: item) else { continue }
                let offset: Int64
                do {
                    offset = try builder.append(block.frame)
                } catch {
                    throw .system(
                        error, store: directory, while: "\(activity): writing \(outputName).tmp",
                        consequence: consequence)
                }
                records.append(BlockRecord(offset: offset, header: block.header, meta: block.meta))
                merged += windows
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
            file: builder.file, header: header, blocks: records, size: builder.size, scannedEnd: builder.size)
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

    /// The frame one plan item produces and the number of window blocks it merged, or nil when all its blocks
    /// turned out damaged (they are reported).
    private func outputBlock(for item: RewritePlan.Item) throws(StoreError) -> (EncodedBlock, windows: Int)? {
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
            return (EncodedBlock(frame: frame, header: ref.record.header, meta: ref.record.meta), 0)
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
            do {
                let merged = try Profile.merge(profiles)
                let block = try BlockCodec.encode(
                    merged, kind: .compacted, start: used.map(\.record.header.start).min() ?? 0,
                    end: used.map(\.record.header.end).max() ?? 0,
                    windowCount: used.reduce(0) { $0 + $1.record.meta.windowCount }, level: options.compressionLevel)
                return (block, windows)
            } catch let error as ProfileError {
                throw StoreError(
                    .invalidProfile, "store \(directory): cannot merge windows: \(error.message)", cause: error)
            } catch {
                throw StoreError(
                    .tooLarge, "store \(directory): cannot encode a compacted block: \(error)", cause: error)
            }
        }
    }
}
