import Glibc
import Logging

/// The result of opening one segment file and reading its header.
enum SegmentLoad {
    case loaded(SegmentFile, SegmentHeader)
    /// The file disappeared between listing and opening (replaced or deleted by the writer).
    case missing
    /// The header is damaged; the file is ignored.
    case corrupt(FileIdentity, String)
}

extension ProfileStore {
    /// Writer open: rebuilds the index from the segment files and repairs what a crash may have left behind.
    ///
    /// Steps, each safe to repeat if this open crashes too: delete `*.seg.tmp` (unfinished rewrites and rollovers);
    /// delete segments that a completed rewrite lists as superseded; scan every segment's block headers; verify the
    /// payload checksums of the last segment and truncate its torn tail.
    func recover() throws(StoreError) {
        let names = try segmentFileNames()
        var removedFiles = false
        for name in names where name.hasSuffix(StorageFormat.temporarySuffix) {
            try removeFile(segmentsPath + "/" + name, while: "removing the unfinished file \(name)")
            logger.notice("store \(directory): removed \(name), left by an interrupted rewrite or rollover")
            removedFiles = true
        }
        let ids = names.compactMap(StorageFormat.segmentID(fromFileName:)).sorted()
        var statistics = StoreStatistics()
        var loaded: [(file: SegmentFile, header: SegmentHeader)] = []
        for id in ids {
            switch try loadSegment(id: id, writable: false) {
            case .loaded(let file, let header): loaded.append((file, header))
            case .missing: continue
            case .corrupt(_, let reason):
                statistics.corruptSegmentsSkipped += 1
                logger.error(
                    "store \(directory): ignoring segment \(StorageFormat.segmentFileName(id)): \(reason)")
            }
        }

        let superseded = Set(loaded.flatMap(\.header.superseded))
        for segment in loaded where superseded.contains(segment.header.id) {
            let name = StorageFormat.segmentFileName(segment.header.id)
            try removeFile(segmentPath(segment.header.id), while: "removing the superseded segment \(name)")
            logger.notice("store \(directory): removed \(name), superseded by a completed rewrite")
            removedFiles = true
        }
        loaded.removeAll { superseded.contains($0.header.id) }
        if removedFiles { try syncSegmentsDirectory(while: "recording removals") }

        var records: [SegmentRecord] = []
        for (position, segment) in loaded.enumerated() {
            let isLast = position == loaded.count - 1
            records.append(
                try recoverSegment(segment.file, header: segment.header, isLast: isLast, statistics: &statistics))
        }

        // Appends continue in the last segment, unless it has another version than this writer writes (a store
        // written by an older scorch): then the next append starts a new segment.
        let open = records.last.flatMap { segment -> OpenSegment? in
            guard segment.header.version == options.formatVersion else { return nil }
            var open = OpenSegment(file: segment.file, size: segment.size, blockCount: segment.blocks.count)
            for dictionary in segment.dictionaries { open.dictionaryCopies[dictionary.id, default: 0] += 1 }
            return open
        }
        index.withLock { state in
            state.segments = records
            state.openSegmentID = open?.file.id
            state.statistics = statistics
        }
        writer.withLock { state in
            state.open = open
            state.nextSegmentID = (ids.last ?? 0) + 1
        }
        if let open, let segment = records.last { adoptNewestDictionary(of: segment, open: open) }
    }

    /// Goes on appending with the newest dictionary of the open segment that has two copies (and reads back), so a
    /// restarted writer neither writes a new dictionary nor starts learning its context from scratch.
    private func adoptNewestDictionary(of segment: SegmentRecord, open: OpenSegment) {
        guard let newest = segment.dictionaries.last(where: { (open.dictionaryCopies[$0.id] ?? 0) >= 2 }) else {
            return
        }
        do {
            let frame = try segment.file.read(at: newest.offset, count: Int(newest.frameLength))
            let dictionary = try BlockDictionary(frame: frame, record: newest, level: options.compressionLevel)
            appending.withLock { $0.adopt(dictionary) }
        } catch {
            logger.debug("store \(directory): not reusing dictionary \(newest.id) of segment \(segment.name): \(error)")
        }
    }

    /// Scans one segment at writer open; the last one is reopened for writing, fully verified and truncated.
    private func recoverSegment(
        _ file: SegmentFile, header: SegmentHeader, isLast: Bool, statistics: inout StoreStatistics
    ) throws(StoreError) -> SegmentRecord {
        let name = StorageFormat.segmentFileName(header.id)
        var file = file
        let scan: SegmentScan
        do {
            if isLast { file = try SegmentFile.open(id: header.id, path: file.path, readOnly: false) }
            scan = try SegmentScanner.scan(
                file, from: Int64(header.length), size: try file.size(), version: header.version,
                verifyPayloads: isLast)
        } catch {
            throw .system(error, store: directory, while: "reading segment \(name)")
        }
        report(scan.damaged, in: name, statistics: &statistics)
        var size = scan.fileSize
        if scan.tailLength > 0 && isLast {
            do {
                try file.truncate(to: scan.validEnd)
                try file.sync()
            } catch {
                throw .system(error, store: directory, while: "truncating the torn tail of segment \(name)")
            }
            size = scan.validEnd
            statistics.tornTailsTruncated += 1
            statistics.tornBytesTruncated += scan.tailLength
            let message =
                "store \(directory): truncated a torn tail of \(scan.tailLength) bytes at offset \(scan.validEnd) of "
                + "segment \(name): an append was interrupted and its window was not committed"
            logger.warning("\(message)")
        } else if scan.tailLength > 0 {
            statistics.corruptBlocksSkipped += 1
            let message =
                "store \(directory): segment \(name) ends with \(scan.tailLength) unreadable bytes at offset "
                + "\(scan.validEnd); they are ignored"
            logger.warning("\(message)")
        }
        return SegmentRecord(
            file: file, header: header, blocks: scan.blocks, dictionaries: scan.dictionaries, size: size,
            scannedEnd: scan.validEnd)
    }

    /// Read-only refresh: picks up new blocks, new and replaced segments, and drops deleted or superseded ones.
    ///
    /// A segment whose inode is unchanged is scanned from where the last scan stopped (its tail may have been an
    /// append in progress); a replaced one (compaction renamed a new file over it) is scanned from the start.
    func refresh() throws(StoreError) {
        let names = try segmentFileNames()
        let ids = names.compactMap(StorageFormat.segmentID(fromFileName:)).sorted()
        try index.withLock { (state) throws(StoreError) in
            var records: [SegmentRecord] = []
            for id in ids {
                if let record = try refreshed(id: id, state: &state) { records.append(record) }
            }
            let superseded = Set(records.flatMap(\.header.superseded))
            records.removeAll { superseded.contains($0.id) }
            state.segments = records
        }
    }

    private func refreshed(id: UInt64, state: inout IndexState) throws(StoreError) -> SegmentRecord? {
        let name = StorageFormat.segmentFileName(id)
        let path = segmentPath(id)
        var record: SegmentRecord
        if let known = state.segments.first(where: { $0.id == id }),
            (try? FileSystem.identity(of: path)) == known.file.identity
        {
            record = known
        } else {
            switch try loadSegment(id: id, writable: false) {
            case .missing:
                return nil
            case .corrupt(let identity, let reason):
                if state.reportedCorruptSegments.insert(identity).inserted {
                    state.statistics.corruptSegmentsSkipped += 1
                    logger.error("store \(directory): ignoring segment \(name): \(reason)")
                }
                return nil
            case .loaded(let file, let header):
                let start = Int64(header.length)
                record = SegmentRecord(file: file, header: header, blocks: [], size: start, scannedEnd: start)
            }
        }
        do {
            let size = try record.file.size()
            if size < record.scannedEnd {
                // The writer truncated a torn tail we had read past: start over.
                record.blocks = []
                record.dictionaries = []
                record.scannedEnd = Int64(record.header.length)
            }
            if size > record.scannedEnd {
                let scan = try SegmentScanner.scan(
                    record.file, from: record.scannedEnd, size: size, version: record.header.version,
                    known: record.dictionaries, verifyPayloads: false)
                report(scan.damaged, in: name, statistics: &state.statistics)
                record.blocks += scan.blocks
                record.dictionaries += scan.dictionaries
                record.scannedEnd = scan.validEnd
            }
            record.size = size
        } catch {
            throw .system(error, store: directory, while: "reading segment \(name)")
        }
        return record
    }

    /// Opens segment `id` and reads its header.
    func loadSegment(id: UInt64, writable: Bool) throws(StoreError) -> SegmentLoad {
        let name = StorageFormat.segmentFileName(id)
        let file: SegmentFile
        let prefix: [UInt8]
        do {
            file = try SegmentFile.open(id: id, path: segmentPath(id), readOnly: !writable)
            prefix = try file.read(at: 0, count: SegmentHeader.fixedLength)
        } catch {
            if error.errno == ENOENT { return .missing }
            throw .system(error, store: directory, while: "opening segment \(name)")
        }
        func failure(_ error: SegmentHeaderError) throws(StoreError) -> SegmentLoad {
            switch error {
            case .format(let error):
                return .corrupt(file.identity, "damaged segment header: \(error.message)")
            case .unsupportedVersion(let version):
                throw StoreError(
                    .unsupportedFormat,
                    "store \(directory): segment \(name) has format version \(version) but this scorch reads "
                        + "versions \(StorageFormat.readableVersions.lowerBound) to "
                        + "\(StorageFormat.readableVersions.upperBound); upgrade scorch or use another store directory")
            }
        }
        let length: Int
        do {
            length = try SegmentHeader.announcedLength(prefix)
        } catch {
            return try failure(error)
        }
        let bytes: [UInt8]
        do {
            bytes = try file.read(at: 0, count: length)
        } catch {
            throw .system(error, store: directory, while: "reading the header of segment \(name)")
        }
        let header: SegmentHeader
        do {
            header = try SegmentHeader.decode(bytes)
        } catch {
            return try failure(error)
        }
        guard header.id == id else {
            return .corrupt(file.identity, "its header says it is segment \(header.id)")
        }
        return .loaded(file, header)
    }

    /// Logs and counts damaged ranges found by a scan.
    func report(_ damaged: [DamagedRange], in name: String, statistics: inout StoreStatistics) {
        for range in damaged {
            statistics.corruptBlocksSkipped += 1
            let message =
                "store \(directory): skipping \(range.length) damaged bytes at offset \(range.offset) of segment "
                + "\(name): \(range.reason)"
            logger.warning("\(message)")
        }
    }

    /// Names in the segments directory; none if it does not exist (a read-only store before the first append).
    func segmentFileNames() throws(StoreError) -> [String] {
        do {
            return try FileSystem.entries(of: segmentsPath)
        } catch {
            if error.errno == ENOENT && options.readOnly { return [] }
            throw .system(error, store: directory, while: "listing \(segmentsPath)")
        }
    }

    func removeFile(_ path: String, while activity: String) throws(StoreError) {
        do {
            try FileSystem.remove(path)
        } catch {
            throw .system(error, store: directory, while: activity)
        }
    }

    func syncSegmentsDirectory(while activity: String) throws(StoreError) {
        do {
            try FileSystem.syncDirectory(segmentsPath)
        } catch {
            throw .system(error, store: directory, while: "syncing \(segmentsPath) after \(activity)")
        }
    }
}
