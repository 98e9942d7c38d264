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
            """,
        subcommands: [AgentCommand.self, ServeCommand.self, RecordCommand.self, QueryCommand.self, TopCommand.self]
    )
}
