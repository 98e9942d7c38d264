import Foundation

/// Binaries the tests compile once per test run into a temporary directory, shared by every test.
struct Fixtures: Sendable {
    /// `-O2 -g` PIE where `inner` is inlined into `middle`, which is inlined into `outer` (noinline).
    let inlinePIE: String
    /// The same source linked `-no-pie` (`ET_EXEC`).
    let inlineNoPIE: String
    /// The same source built by the toolchain's clang, which emits no `.debug_aranges`.
    let inlineClang: String
    /// `inlinePIE` after `strip --strip-debug`: `.symtab` but no DWARF.
    let inlineStrippedDebug: String
    /// `inlinePIE` after `strip`: only `.dynsym`, which does not define `outer`.
    let inlineStripped: String
    /// A shared object defining `fixture_exported` (in `.dynsym`) and `fixture_local` (static), after `strip`.
    let libraryStripped: String
    /// `g++ -g` with `ns::hot(int)`.
    let cxx: String
    /// The directory holding everything.
    let directory: String

    static let inlineSource = """
        #include <stdlib.h>

        static inline __attribute__((always_inline)) int inner(int x) {
            int s = 0;
            for (int i = 0; i < x; i++)
                s += (i * x) ^ (s >> 3);
            return s;
        }

        static inline __attribute__((always_inline)) int middle(int x) {
            int r = inner(x);
            return r * 3 + inner(x / 2);
        }

        __attribute__((noinline)) int outer(int x) {
            int r = middle(x);
            return r + 1;
        }

        int main(int argc, char **argv) {
            (void)argv;
            return outer(argc * 1000) & 0xff;
        }

        """

    static let librarySource = """
        __attribute__((noinline)) static int fixture_local(int x) { return x * 7 + 1; }
        int fixture_exported(int x) {
            int s = 0;
            for (int i = 0; i < x; i++) s += fixture_local(i);
            return s;
        }

        """

    static let cxxSource = """
        #include <cstdio>
        namespace ns {
        __attribute__((noinline)) int hot(int x) {
            int s = 0;
            for (int i = 0; i < x; i++) s += i ^ x;
            return s;
        }
        }
        int main(int argc, char **) { std::printf("%d\\n", ns::hot(argc)); return 0; }

        """

    /// Built once on first use; tests `try` it so a missing compiler fails the tests that need it, with its output.
    static let shared: Result<Fixtures, any Error> = Result { try Fixtures() }

    static func get() throws -> Fixtures { try shared.get() }

    private init() throws {
        directory = try Shell.makeTemporaryDirectory("fixtures")
        let inlineC = directory + "/inline.c"
        try Shell.write(Self.inlineSource, to: inlineC)
        inlinePIE = directory + "/inline-pie"
        inlineNoPIE = directory + "/inline-nopie"
        inlineStrippedDebug = directory + "/inline-strip-debug"
        inlineStripped = directory + "/inline-strip"
        try Shell.run(["cc", "-O2", "-g", "-fPIE", "-pie", "-o", inlinePIE, inlineC])
        try Shell.run(["cc", "-O2", "-g", "-fno-PIE", "-no-pie", "-o", inlineNoPIE, inlineC])
        inlineClang = directory + "/inline-clang"
        try Shell.run(["clang", "-O2", "-g", "-o", inlineClang, inlineC])
        try Shell.run(["strip", "--strip-debug", "-o", inlineStrippedDebug, inlinePIE])
        try Shell.run(["strip", "-o", inlineStripped, inlinePIE])

        let libraryC = directory + "/library.c"
        try Shell.write(Self.librarySource, to: libraryC)
        let library = directory + "/libfixture.so"
        libraryStripped = directory + "/libfixture-strip.so"
        try Shell.run(["cc", "-O2", "-g", "-shared", "-fPIC", "-o", library, libraryC])
        try Shell.run(["strip", "-o", libraryStripped, library])

        let cxxSourcePath = directory + "/hot.cpp"
        try Shell.write(Self.cxxSource, to: cxxSourcePath)
        cxx = directory + "/hot-cxx"
        try Shell.run(["g++", "-g", "-O0", "-o", cxx, cxxSourcePath])
    }
}

/// A Swift binary (`swiftc -g`) with `hotLoop`, built on first use (slower than the C fixtures).
struct SwiftFixture: Sendable {
    let binary: String

    static let source = """
        @inline(never)
        func hotLoop(_ n: Int) -> Int {
            var total = 0
            for i in 0..<n { total &+= i &* 31 }
            return total
        }
        print(hotLoop(Int(CommandLine.arguments.count) * 1000))

        """

    static let shared: Result<SwiftFixture, any Error> = Result { try SwiftFixture() }

    static func get() throws -> SwiftFixture { try shared.get() }

    private init() throws {
        let directory = try Shell.makeTemporaryDirectory("swift")
        let sourcePath = directory + "/main.swift"
        try Shell.write(Self.source, to: sourcePath)
        binary = directory + "/hot-swift"
        try Shell.run(["swiftc", "-g", "-Onone", "-module-name", "main", "-o", binary, sourcePath])
    }
}
