import Symbolizer
import Testing

@Suite struct DemanglerTests {
    @Test(arguments: [
        ("_ZN2ns3hotEi", "ns::hot(int)"),
        ("_Z3fooPKcm", "foo(char const*, unsigned long)"),
        ("_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector<int, std::allocator<int> >::push_back(int const&)"),
        ("_Z3fooi.constprop.0", "foo(int) [clone .constprop.0]"),
    ])
    func cxx(mangled: String, expected: String) {
        #expect(Demangler.demangle(mangled) == expected)
        #expect(Demangler.isMangled(mangled))
    }

    @Test(arguments: [
        ("$s4main7hotLoopyS2iF", "main.hotLoop(Swift.Int) -> Swift.Int"),
        ("_$s4main7hotLoopyS2iF", "main.hotLoop(Swift.Int) -> Swift.Int"),
        ("$sSi1poiyS2i_SitFZ", "static Swift.Int.+ infix(Swift.Int, Swift.Int) -> Swift.Int"),
    ])
    func swift(mangled: String, expected: String) {
        #expect(Demangler.demangle(mangled) == expected)
    }

    @Test(arguments: ["main", "do_sys_openat2", "", "_Zinvalid", "$snotswift", "__memmove_avx_unaligned_erms", "_"])
    func unchangedWhenNotDemangleable(name: String) {
        #expect(Demangler.demangle(name) == name)
    }
}
