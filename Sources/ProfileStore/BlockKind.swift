/// What a stored block holds.
public enum BlockKind: UInt8, Sendable, Hashable {
    /// One window as the agent appended it.
    case window = 1
    /// Several windows merged by compaction into one coarser block.
    case compacted = 2
}
