internal import CLibdw

/// Returns free pages of the C heap to the system (glibc `malloc_trim(0)`). libdw's data and Swift's allocations
/// share that heap; after big structures are freed (a closed binary's DWARF), glibc otherwise keeps the pages, and
/// the process's RSS stays at its peak.
public func trimHeap() {
    _ = CLibdw_trimHeap()
}
