import ArgumentParser
import ProfileModel

/// `scorch top`: the functions using the most, like `go tool pprof -top`, for any pprof file.
struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Print the top functions of a pprof profile (ours, Go's, or any other), like `go tool pprof -top`."
    )

    @Argument(help: "A pprof file (gzip-compressed or not).")
    var file: String

    @Option(help: "How many functions to show.")
    var nodes = 20

    @Flag(help: "Sort by cumulative value instead of flat.")
    var cum = false

    @Option(help: "Which sample type to show (e.g. samples or cpu; default: the profile's default).")
    var sampleIndex: String?

    func run() throws {
        try reportingErrors {
            guard nodes > 0 else { throw CLIError("--nodes must be at least 1", exitCode: 2) }
            let bytes = try readWholeFile(file)
            let profile: Profile
            do {
                profile = try Profile(pprof: bytes)
            } catch {
                throw CLIError("\(file): \(error)")
            }
            var index: Int? = nil
            if let sampleIndex {
                index = Int(sampleIndex) ?? profile.sampleTypes.firstIndex { $0.type == sampleIndex }
                guard let index, profile.sampleTypes.indices.contains(index) else {
                    let known = profile.sampleTypes.map(\.type).joined(separator: ", ")
                    throw CLIError("no sample type \(sampleIndex) in \(file) (it has: \(known))", exitCode: 2)
                }
            }
            print(TopReport(profile, sampleIndex: index).render(nodes: nodes, sortByCum: cum), terminator: "")
        }
    }
}
