import ArgumentParser

/// `scorch`: a continuous profiler for Linux.
@main
struct Scorch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorch",
        abstract: "A continuous eBPF CPU profiler for Linux.",
        discussion: """
            Scorch samples stacks on every CPU with an eBPF program and symbolizes them with DWARF debug info.
            Profiles are pprof files that `go tool pprof` opens, or folded stacks for flamegraph.pl.

            Examples:
              sudo scorch agent --store /var/lib/scorch
              scorch query --store /var/lib/scorch --from -1h --selector '{comm="python3"}' --format top
              scorch serve --store /var/lib/scorch --listen 127.0.0.1:7070
              sudo scorch record --duration 30s --output host.pb.gz
              sudo scorch record --pid 1234 --format folded --output app.folded
              scorch top host.pb.gz --nodes 30
              scorch diff before.pb.gz after.pb.gz --max-regression 2
            """,
        subcommands: [
            AgentCommand.self, ServeCommand.self, RecordCommand.self, QueryCommand.self, TopCommand.self,
            DiffCommand.self,
        ]
    )

    /// ArgumentParser's entry point, except that usage errors exit 2 with one line (`scorch: <problem> (see ...
    /// --help)`), as Unix tools and the rest of Scorch's errors do; ArgumentParser alone exits 64 with a usage
    /// block.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                let first = CommandLine.arguments.dropFirst().first
                let subcommand = configuration.subcommands.map { $0.configuration.commandName ?? "" }
                    .first { $0 == first }
                let help = ["scorch", subcommand, "--help"].compactMap { $0 }.joined(separator: " ")
                writeStandardError("scorch: \(message(for: error)) (see '\(help)')\n")
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}
