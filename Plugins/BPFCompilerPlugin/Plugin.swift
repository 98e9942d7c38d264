import Foundation
import PackagePlugin

/// Compiles `bpf/*.bpf.c` with the toolchain's clang (`-target bpf`) during `swift build` and embeds each object in the
/// target as generated Swift source, so `scorch` ships as one file.
///
/// Every header the program includes is listed as an input, so editing `bpf/profiler.h` rebuilds the object.
@main
struct BPFCompilerPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let bpfDirectory = context.package.directoryURL.appending(path: "bpf")
        let entries = try FileManager.default.contentsOfDirectory(atPath: bpfDirectory.path(percentEncoded: false))
        let headers = entries.filter { $0.hasSuffix(".h") }.sorted().map { bpfDirectory.appending(path: $0) }
        let programs = entries.filter { $0.hasSuffix(".bpf.c") }.sorted()
        let clang = try context.tool(named: "clang").url
        let embed = try context.tool(named: "BPFEmbed").url

        return programs.map { program in
            let name = String(program.dropLast(".bpf.c".count))
            let source = bpfDirectory.appending(path: program)
            let object = context.pluginWorkDirectoryURL.appending(path: "\(name).bpf.o")
            let swift = context.pluginWorkDirectoryURL.appending(path: "EmbeddedBPF+\(name).swift")
            return .buildCommand(
                displayName: "Compiling BPF program \(program)",
                executable: embed,
                arguments: [
                    "--clang", clang.path(percentEncoded: false),
                    "--source", source.path(percentEncoded: false),
                    "--object", object.path(percentEncoded: false),
                    "--output", swift.path(percentEncoded: false),
                    "--name", name,
                    "--", "-I", bpfDirectory.path(percentEncoded: false),
                ],
                inputFiles: [source] + headers,
                outputFiles: [swift]
            )
        }
    }
}
