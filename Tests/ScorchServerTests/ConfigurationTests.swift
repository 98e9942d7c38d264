import Testing

@testable import ScorchServer

/// `--listen` parsing, and the rule that only loopback may go without a token.
@Suite struct ConfigurationTests {
    @Test(arguments: [
        ("127.0.0.1:7070", "127.0.0.1", 7070, true), ("localhost:80", "localhost", 80, true),
        ("[::1]:7070", "::1", 7070, true), ("127.1.2.3:0", "127.1.2.3", 0, true),
        ("0.0.0.0:7070", "0.0.0.0", 7070, false), ("[::]:7070", "::", 7070, false),
        ("10.0.0.5:9000", "10.0.0.5", 9000, false), ("example.org:7070", "example.org", 7070, false),
        ("128.0.0.1:1", "128.0.0.1", 1, false), ("[::ffff:127.0.0.1]:5", "::ffff:127.0.0.1", 5, true),
    ])
    func addressesParse(_ text: String, _ host: String, _ port: Int, _ loopback: Bool) throws {
        let address = try ListenAddress.parse(text).get()
        #expect(address.host == host && address.port == port)
        #expect(address.isLoopback == loopback)
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("7070", "HOST:PORT"), ("127.0.0.1", "HOST:PORT"), (":7070", "host is empty"), ("127.0.0.1:", "port"),
        ("127.0.0.1:65536", "port"), ("127.0.0.1:-1", "port"), ("::1:7070", "brackets"), ("[::1:7070", "']'"),
        ("[::1]7070", "':'"), ("a b:1", "not an address"), ("127.0.0.1:70x", "port"),
    ])
    func badAddressesSayWhy(_ text: String, _ says: String) {
        guard case .failure(let error) = ListenAddress.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(error.message.hasPrefix("bad --listen \"\(text)\": ") && error.message.contains(says), "\(error)")
    }

    @Test func nonLoopbackNeedsAToken() throws {
        let open = ServerConfiguration(listen: try ListenAddress.parse("0.0.0.0:7070").get())
        #expect(open.problem?.contains("not a loopback address") == true)
        #expect(open.problem?.contains("--auth-token") == true)
        var withToken = open
        withToken.authToken = "t"
        #expect(withToken.problem == nil)
        withToken.authToken = ""
        #expect(withToken.problem?.contains("empty") == true)
        #expect(ServerConfiguration().problem == nil)
    }
}
