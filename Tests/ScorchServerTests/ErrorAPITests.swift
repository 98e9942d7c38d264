import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ScorchServer

/// Every way a request can be wrong gets a 4xx with a JSON error saying what was wrong; never a 500 or a crash.
@Suite struct ErrorAPITests {
    struct Case: Sendable, CustomStringConvertible {
        var uri: String
        var parameter: String?
        /// A piece of the message.
        var says: String
        var position: Int? = nil
        var description: String { uri }
    }

    static let badParameters: [Case] = [
        Case(uri: "/api/v1/flamegraph?from=yesterday", parameter: "from", says: "expected 'now'", position: 0),
        Case(uri: "/api/v1/flamegraph?from=1h", parameter: "from", says: "needs a sign", position: 0),
        Case(uri: "/api/v1/flamegraph?to=2026-02-30T00:00:00Z", parameter: "to", says: "day", position: 8),
        Case(uri: "/api/v1/flamegraph?from=-1h&to=-2h", parameter: "from", says: "is after to"),
        Case(uri: "/api/v1/flamegraph?from=%2B999999999y", parameter: "from", says: "too long", position: 1),
        Case(uri: "/api/v1/top?selector=%7Bcomm%20~%20%22x%22%7D", parameter: "selector",
             says: "expected '=', '!=', '=~' or '!~'", position: 6),
        Case(uri: "/api/v1/top?selector=%7Bcomm%3D~%22(%22%7D", parameter: "selector", says: "regular expression",
             position: 7),
        Case(uri: "/api/v1/pprof?selector=%7Bcomm%3D%22x%22", parameter: "selector", says: "expected ',' or '}'",
             position: 9),
        Case(uri: "/api/v1/flamegraph?max_nodes=0", parameter: "max_nodes", says: "from 1 to 200000"),
        Case(uri: "/api/v1/flamegraph?max_nodes=abc", parameter: "max_nodes", says: "whole number"),
        Case(uri: "/api/v1/flamegraph?max_nodes=99999999999999999999", parameter: "max_nodes", says: "whole number"),
        Case(uri: "/api/v1/flamegraph?max_nodes=200001", parameter: "max_nodes", says: "not 200001"),
        Case(uri: "/api/v1/top?limit=-1", parameter: "limit", says: "from 1 to 10000"),
        Case(uri: "/api/v1/top?limit=1.5", parameter: "limit", says: "whole number"),
        Case(uri: "/api/v1/top?maxnodes=5", parameter: "maxnodes", says: "unknown parameter"),
        Case(uri: "/api/v1/top?limit=5&limit=6", parameter: "limit", says: "more than once"),
        Case(uri: "/api/v1/top?from=%ZZ", parameter: "from", says: "percent-encoded"),
        Case(uri: "/api/v1/series?step=0s", parameter: "step", says: "at least 1s"),
        Case(uri: "/api/v1/series?step=500ms", parameter: "step", says: "at least 1s"),
        Case(uri: "/api/v1/series?step=ten", parameter: "step", says: "a duration"),
        Case(uri: "/api/v1/series?step=10x", parameter: "step", says: "a duration"),
        Case(uri: "/api/v1/series?from=-7d&step=1s", parameter: "step", says: "at most 11000"),
        Case(uri: "/api/v1/series?group_by=comm,", parameter: "group_by", says: "not one"),
        Case(uri: "/api/v1/series?group_by=a,b,c,d,e", parameter: "group_by", says: "at most 4"),
        Case(uri: "/api/v1/series?limit=101", parameter: "limit", says: "from 1 to 100"),
        Case(uri: "/api/v1/labels?selector=%7B%7D", parameter: "selector", says: "unknown parameter"),
        Case(uri: "/api/v1/labels/9lives/values", parameter: "name", says: "not a label name"),
        Case(uri: "/api/v1/labels/a%2Fb/values", parameter: "name", says: "not a label name"),
        Case(uri: "/api/v1/labels/comm/values?limit=0", parameter: "limit", says: "from 1 to 10000"),
        Case(uri: "/api/v1/flamegraph?from=" + String(repeating: "1", count: 65), parameter: "from",
             says: "at most 64"),
        Case(uri: "/api/v1/flamegraph?selector=" + String(repeating: "x", count: 5000), parameter: "selector",
             says: "at most 4096"),
        Case(uri: "/metrics?x=1", parameter: "x", says: "takes none"),
        Case(uri: "/api/v1/flamegraph?normalization=AAA", parameter: "normalization", says: "relative or absolute"),
        Case(uri: "/api/v1/top?base_from=-2h&base_to=-3h", parameter: "base_from", says: "is after base_to"),
    ]

    @Test(arguments: badParameters) func badParameterIs400SayingWhichAndWhy(_ test: Case) async throws {
        let response = try await withClient { client in try await client.get(test.uri) }
        #expect(response.status == .badRequest, "\(response.text)")
        #expect(response.headers[.contentType] == "application/json")
        let error = try #require(response.error, "\(response.text)")
        #expect(error.parameter == test.parameter)
        #expect(error.error.contains(test.says), "\(error.error)")
        if let position = test.position { #expect(error.position == position, "\(error.error)") }
        #expect(!error.error.contains("\n"), "one line: \(error.error)")
    }

    @Test func selectorErrorPointsAtTheCharacterAsTheCLIDoes() async throws {
        let response = try await withClient { client in
            try await client.get(uri("/api/v1/flamegraph", ["selector": "{comm=\"x\", pid~\"1\"}"]))
        }
        let error = try #require(response.error)
        #expect(error.position == 14)
        #expect(error.error.hasPrefix("bad selector at character 15: expected '=', '!=', '=~' or '!~'"))
    }

    @Test(arguments: ["/api/v1/nothing", "/api/v2/flamegraph", "/api", "/metrics/x", "/api/v1/labels//values"])
    func unknownAPIPathIs404(_ path: String) async throws {
        let response = try await withClient { client in try await client.get(path) }
        #expect(response.status == .notFound)
        #expect(response.error?.error.contains("no such endpoint") == true, "\(response.text)")
    }

    @Test(arguments: [HTTPRequest.Method.post, .put, .delete, .patch, .options, .head])
    func otherMethodsAre405WithAllow(_ method: HTTPRequest.Method) async throws {
        let response = try await withClient { client in
            try await client.execute(uri: "/api/v1/labels/comm/values", method: method) { $0 }
        }
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.allow] == "GET")
        #expect(method == .head || response.error?.error.contains("use GET") == true)
    }

    @Test func requestBodyOverTheLimitIs413() async throws {
        let response = try await withClient { client in
            try await client.execute(
                uri: "/api/v1/flamegraph", method: .get, body: ByteBuffer(repeating: 0x41, count: 20_000)
            ) { $0 }
        }
        #expect(response.status == .contentTooLarge)
        #expect(response.error?.error.contains("larger than 16384 bytes") == true)
    }

    @Test func queryOverTheTimeLimitIs503AndTheServerStaysUp() async throws {
        try await withClient({ $0.queryTimeLimit = .nanoseconds(1) }) { client in
            let slow = try await client.get("/api/v1/flamegraph")
            #expect(slow.status == .serviceUnavailable)
            #expect(slow.headers[.retryAfter] == "5")
            #expect(slow.error?.error.contains("took longer than the server's limit") == true, "\(slow.text)")
            // Endpoints that do not query still answer.
            #expect((try await client.get("/metrics")).status == .ok)
        }
    }
}
