import Glibc

/// Checks done before touching the kernel, so a missing prerequisite is one clear line rather than a libbpf errno.
public enum Privileges {
    static let capSysAdmin = 21
    static let capPerfmon = 38
    static let capBPF = 39

    /// Throws unless this process may load BPF programs and open system-wide perf events.
    ///
    /// - Parameter statusPath: the `/proc/self/status` to read effective capabilities from (injectable for tests).
    public static func requireProfilingCapabilities(statusPath: String = "/proc/self/status") throws(BPFError) {
        let effective = effectiveCapabilities(statusPath: statusPath)
        let hasAdmin = effective.map { $0 & (1 << capSysAdmin) != 0 } ?? (geteuid() == 0)
        let hasBPF = effective.map { $0 & (1 << capBPF) != 0 } ?? false
        let hasPerfmon = effective.map { $0 & (1 << capPerfmon) != 0 } ?? false
        if hasAdmin || (hasBPF && hasPerfmon) { return }
        var missing: [String] = []
        if !hasBPF { missing.append("CAP_BPF") }
        if !hasPerfmon { missing.append("CAP_PERFMON") }
        throw BPFError(
            .insufficientPrivileges,
            "profiling needs root or \(missing.joined(separator: " and ")): run with sudo, or grant them with "
                + "'setcap cap_bpf,cap_perfmon+ep \(CommandLine.arguments.first ?? "scorch")'")
    }

    /// Throws unless the kernel exposes its BTF, which the loader uses to check and relocate the program.
    public static func requireKernelBTF(path: String = "/sys/kernel/btf/vmlinux") throws(BPFError) {
        if access(path, R_OK) == 0 { return }
        throw BPFError(
            .missingBTF,
            "kernel BTF not found at \(path): Scorch needs a kernel built with CONFIG_DEBUG_INFO_BTF=y "
                + "(distribution kernels since 5.4 have it)", errno: errno)
    }

    /// The CapEff bit set of `/proc/self/status`, or nil when it cannot be read.
    static func effectiveCapabilities(statusPath: String) -> UInt64? {
        guard let file = fopen(statusPath, "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            if text.hasPrefix("CapEff:") {
                return UInt64(text.dropFirst("CapEff:".count).trimmingCharacters(in: " \t\n"), radix: 16)
            }
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
