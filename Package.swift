// swift-tools-version: 6.1
import PackageDescription

/// Scorch: a continuous eBPF profiler for Linux.
///
/// Dependency direction (see ../shared/STYLE.md): every module points toward `ProfileModel`; each C module has
/// exactly one Swift importer; only the `scorch` executable wires concrete types together.
let package = Package(
    name: "Scorch",
    products: [
        .executable(name: "scorch", targets: ["scorch"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // C at the boundary. Each is imported by exactly one Swift target.
        .systemLibrary(name: "CLibbpf", pkgConfig: "libbpf", providers: [.apt(["libbpf-dev"])]),
        .systemLibrary(name: "CLibdw", pkgConfig: "libdw", providers: [.apt(["libdw-dev", "libelf-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // The kernel/user ABI: bpf/profiler.h, the same header the BPF program includes.
        .systemLibrary(name: "CProfilerABI"),

        // Pure Swift profile model and codecs; everything else points toward it.
        .target(
            name: "ProfileModel",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        // Selectors (Prometheus label matchers) and time expressions shared by the CLI, the store and the server.
        .target(name: "ProfileQuery", dependencies: ["ProfileModel"]),
        // The embedded, crash-safe, zstd-compressed profile store (format in storage/FORMAT.md).
        .target(
            name: "ProfileStore",
            dependencies: [
                "ProfileModel", "ProfileQuery", "CZstd", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libbpf handles and perf events.
        .target(
            name: "BPFRuntime",
            dependencies: ["CLibbpf", .product(name: "Logging", package: "swift-log")]
        ),
        // The embedded BPF program, per-CPU perf events, and draining of its maps into raw samples.
        .target(
            name: "Sampler",
            dependencies: ["BPFRuntime", "CProfilerABI", .product(name: "Logging", package: "swift-log")],
            plugins: ["BPFCompilerPlugin"]
        ),
        // Process maps, kallsyms, ELF/DWARF through libdw, demangling.
        .target(
            name: "Symbolizer",
            dependencies: ["CLibdw", .product(name: "Logging", package: "swift-log")]
        ),
        // Raw samples + symbols -> Profile. Shared by `record` and (later) the agent.
        .target(
            name: "Recorder",
            dependencies: [
                "Sampler", "Symbolizer", "ProfileModel", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP API (Hummingbird), /metrics and static files from web-static/. Never imports Sampler/BPFRuntime/
        // Recorder: the agent hands its counters in through `MetricsSource`, so the server builds and tests without root.
        .target(
            name: "ScorchServer",
            dependencies: [
                "ProfileModel", "ProfileQuery", "ProfileStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "scorch",
            dependencies: [
                "Recorder", "ProfileModel", "ProfileQuery", "ProfileStore", "Sampler", "Symbolizer", "ScorchServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Build-time: compile bpf/profiler.bpf.c with the toolchain clang and embed the object as Swift source.
        .executableTarget(name: "BPFEmbed"),
        .plugin(name: "BPFCompilerPlugin", capability: .buildTool(), dependencies: ["BPFEmbed"]),

        .testTarget(name: "ProfileModelTests", dependencies: ["ProfileModel"], exclude: ["Golden"]),
        .testTarget(name: "SymbolizerTests", dependencies: ["Symbolizer"]),
        .testTarget(name: "ProfileQueryTests", dependencies: ["ProfileQuery", "ProfileModel"]),
        .testTarget(name: "ProfileStoreTests", dependencies: ["ProfileStore", "ProfileQuery", "ProfileModel"]),
        .testTarget(name: "SamplerTests", dependencies: ["Sampler", "BPFRuntime"]),
        .testTarget(
            name: "RecorderTests",
            dependencies: ["Recorder", "Sampler", "ProfileModel", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "ScorchTests",
            dependencies: ["ProfileModel", "ProfileStore", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "ScorchServerTests",
            dependencies: [
                "ScorchServer", "ProfileStore", "ProfileQuery", "ProfileModel",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
