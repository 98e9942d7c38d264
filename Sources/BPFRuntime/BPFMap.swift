internal import CLibbpf
import Glibc

/// A map of a `BPFObject`. Sizing calls are for before `load()`; reads and deletes for after.
///
/// Holds its object alive. Keys and values are raw bytes: typed views belong to the code that owns the ABI.
public struct BPFMap: @unchecked Sendable {
    let handle: OpaquePointer
    let object: BPFObject

    init(_ handle: OpaquePointer, object: BPFObject) {
        self.handle = handle
        self.object = object
    }

    public var name: String { String(cString: bpf_map__name(handle)) }
    public var keySize: Int { Int(bpf_map__key_size(handle)) }
    public var valueSize: Int { Int(bpf_map__value_size(handle)) }
    public var maxEntries: Int { Int(bpf_map__max_entries(handle)) }
    var fd: Int32 { bpf_map__fd(handle) }

    /// Sets the number of entries; only before load.
    public func setMaxEntries(_ entries: Int) throws(BPFError) {
        let status = bpf_map__set_max_entries(handle, UInt32(entries))
        if status < 0 {
            throw BPFError(.mapOperationFailed, "cannot size map \(name) to \(entries) entries: \(errnoText(-status))")
        }
    }

    /// Sets the value size in bytes; only before load.
    public func setValueSize(_ bytes: Int) throws(BPFError) {
        let status = bpf_map__set_value_size(handle, UInt32(bytes))
        if status < 0 {
            throw BPFError(.mapOperationFailed, "cannot set value size of map \(name) to \(bytes): \(errnoText(-status))")
        }
    }

    /// The value stored under `key` (`valueSize` bytes), or nil when the key is absent.
    public func lookup(key: [UInt8]) throws(BPFError) -> [UInt8]? {
        var value = [UInt8](repeating: 0, count: valueSize)
        let status = key.withUnsafeBytes { keyBytes in
            value.withUnsafeMutableBytes { valueBytes in
                retryingEINTR { bpf_map_lookup_elem(fd, keyBytes.baseAddress, valueBytes.baseAddress) }
            }
        }
        return try lookupResult(status) ? value : nil
    }

    /// The per-CPU 64-bit values stored under `key` in a per-CPU map, one per possible CPU, or nil when absent.
    public func lookupPerCPU(key: [UInt8]) throws(BPFError) -> [UInt64]? {
        precondition(valueSize == 8, "per-CPU lookups read 8-byte values")
        var values = [UInt64](repeating: 0, count: BPFMap.possibleCPUs)
        let status = key.withUnsafeBytes { keyBytes in
            values.withUnsafeMutableBytes { valueBytes in
                retryingEINTR { bpf_map_lookup_elem(fd, keyBytes.baseAddress, valueBytes.baseAddress) }
            }
        }
        return try lookupResult(status) ? values : nil
    }

    private func lookupResult(_ status: Int32) throws(BPFError) -> Bool {
        if status == 0 { return true }
        if status == -ENOENT { return false }
        throw BPFError(.mapOperationFailed, "lookup in map \(name) failed: \(errnoText(-status))", errno: -status)
    }

    /// Deletes `key`. Returns false when it was absent.
    @discardableResult
    public func delete(key: [UInt8]) throws(BPFError) -> Bool {
        let status = key.withUnsafeBytes { keyBytes in retryingEINTR { bpf_map_delete_elem(fd, keyBytes.baseAddress) } }
        if status == 0 { return true }
        if status == -ENOENT { return false }
        throw BPFError(.mapOperationFailed, "delete in map \(name) failed: \(errnoText(-status))", errno: -status)
    }

    /// Every key currently in the map, each `keySize` bytes. Entries added or removed concurrently by the BPF
    /// program may or may not be seen; no key is returned twice.
    public func keys() throws(BPFError) -> [[UInt8]] {
        let size = keySize
        var result: [[UInt8]] = []
        var seen = Set<[UInt8]>()
        var current: [UInt8]? = nil
        var next = [UInt8](repeating: 0, count: size)
        while true {
            let status: Int32 = next.withUnsafeMutableBytes { nextBytes in
                if let current {
                    return current.withUnsafeBytes { currentBytes in
                        retryingEINTR { bpf_map_get_next_key(fd, currentBytes.baseAddress, nextBytes.baseAddress) }
                    }
                }
                return retryingEINTR { bpf_map_get_next_key(fd, nil, nextBytes.baseAddress) }
            }
            if status == -ENOENT { return result }
            if status < 0 {
                throw BPFError(.mapOperationFailed, "iterating map \(name) failed: \(errnoText(-status))", errno: -status)
            }
            // A key deleted under our cursor restarts iteration from the start; `seen` keeps the result unique.
            if seen.insert(next).inserted { result.append(next) }
            current = next
        }
    }

    /// The number of possible CPUs, which sizes per-CPU map values.
    public static var possibleCPUs: Int { Int(libbpf_num_possible_cpus()) }
}

extension BPFMap {
    /// Stores `value` under `key`, creating or replacing the entry.
    public func update(key: [UInt8], value: [UInt8]) throws(BPFError) {
        let status = key.withUnsafeBytes { keyBytes in
            value.withUnsafeBytes { valueBytes in
                retryingEINTR { bpf_map_update_elem(fd, keyBytes.baseAddress, valueBytes.baseAddress, UInt64(BPF_ANY)) }
            }
        }
        if status < 0 {
            throw BPFError(.mapOperationFailed, "update in map \(name) failed: \(errnoText(-status))", errno: -status)
        }
    }
}
