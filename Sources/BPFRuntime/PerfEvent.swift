internal import CLibbpf
import Glibc

/// A sampling perf event on one CPU (all processes), opened with perf_event_open(2); closed in deinit.
public final class PerfEvent {
    public let cpu: Int
    let fd: Int32

    /// Opens a cpu-clock software event on `cpu` sampling at `frequency` Hz (frequency mode: the kernel adjusts the
    /// period to hit the rate).
    public init(cpuClockOn cpu: Int, frequency: Int) throws(BPFError) {
        var attributes = perf_event_attr()
        attributes.type = UInt32(PERF_TYPE_SOFTWARE.rawValue)
        attributes.size = UInt32(MemoryLayout<perf_event_attr>.size)
        attributes.config = UInt64(PERF_COUNT_SW_CPU_CLOCK.rawValue)
        attributes.sample_freq = UInt64(frequency)
        attributes.freq = 1
        let fd = retryingEINTR {
            CLibbpf_perf_event_open(&attributes, -1, Int32(cpu), -1, UInt(PERF_FLAG_FD_CLOEXEC))
        }
        guard fd >= 0 else {
            let error = -fd
            var message = "perf_event_open refused a cpu-clock event on CPU \(cpu): \(errnoText(error))"
            switch error {
            case EACCES, EPERM:
                message += "; run as root or with CAP_PERFMON (kernel.perf_event_paranoid is "
                    + "\(PerfEvent.paranoidLevel ?? "unknown"))"
            case EINVAL where frequency > PerfEvent.maxSampleRate ?? Int.max:
                message += "; --frequency \(frequency) exceeds kernel.perf_event_max_sample_rate "
                    + "(\(PerfEvent.maxSampleRate ?? 0))"
            case ENOENT, ENODEV, EOPNOTSUPP:
                message += "; this kernel or VM does not offer software perf events"
            default:
                break
            }
            throw BPFError(.perfEventOpenFailed, message, errno: error)
        }
        self.cpu = cpu
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// The CPUs that are online now, from /sys/devices/system/cpu/online (e.g. "0-3,6").
    public static func onlineCPUs(path: String = "/sys/devices/system/cpu/online") -> [Int] {
        guard let text = readSmallFile(path) else { return Array(0..<max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))) }
        var cpus: [Int] = []
        for range in text.trimmingCharacters(in: " \n").split(separator: ",") {
            let bounds = range.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 1 { cpus.append(bounds[0]) }
            if bounds.count == 2, bounds[0] <= bounds[1] { cpus.append(contentsOf: bounds[0]...bounds[1]) }
        }
        return cpus
    }

    static var paranoidLevel: String? {
        readSmallFile("/proc/sys/kernel/perf_event_paranoid")?.trimmingCharacters(in: " \n")
    }

    static var maxSampleRate: Int? {
        readSmallFile("/proc/sys/kernel/perf_event_max_sample_rate").flatMap { Int($0.trimmingCharacters(in: " \n")) }
    }
}

/// Reads a small text file such as a /proc or /sys entry; nil when unreadable.
func readSmallFile(_ path: String) -> String? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = fread(&buffer, 1, buffer.count, file)
    return String(decoding: buffer[..<count], as: UTF8.self)
}
