import ArgumentParser
import BPFRuntime
import Glibc

/// A failure reported as one line on stderr (`scorch: <message>`) with a non-zero exit, never a stack trace.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32 = 1

    init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { message }
}

extension CLIError {
    /// A kernel-side failure: prints the verifier log first when there is one (it explains a rejected program), then
    /// the one-line message is the error.
    init(_ error: BPFError) {
        if !error.verifierLog.isEmpty {
            writeStandardError("BPF verifier log:\n" + error.verifierLog.joined(separator: "\n") + "\n")
        }
        self.init(error.message)
    }
}

/// Runs `body`, turning a `CLIError` or any other error into its one line on stderr and an exit code.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as CLIError {
        writeStandardError("scorch: \(error.message)\n")
        throw ExitCode(error.exitCode)
    } catch let error as ExitCode {
        throw error
    } catch {
        writeStandardError("scorch: \(error)\n")
        throw ExitCode(1)
    }
}

func writeStandardError(_ text: String) {
    _ = writeAll(Array(text.utf8), to: STDERR_FILENO)
}

/// Writes every byte to `fd`, retrying short writes and EINTR. Returns 0, or the errno that stopped it.
func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32 {
    var offset = 0
    while offset < bytes.count {
        let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if count < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += count
    }
    return 0
}
