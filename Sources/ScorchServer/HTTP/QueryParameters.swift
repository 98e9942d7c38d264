import Foundation

/// The query string of a request, decoded as HTML forms encode it (`+` is a space, then percent-decoding), with
/// typed accessors that throw a 400 naming the parameter.
///
/// Every endpoint declares the parameters it knows; an unknown one (a typo such as `maxnodes`) or one given twice is
/// an error rather than silently ignored.
struct QueryParameters: Sendable {
    private var values: [String: String] = [:]

    /// Most characters of one parameter value.
    static let maxValueLength = 4096

    /// - Throws: ``APIError`` 400 for bad encoding, a parameter that is not in `known`, or one given twice.
    init(query: String?, known: Set<String>) throws(APIError) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else {
                throw APIError(.badRequest, "a query parameter name is not valid percent-encoded UTF-8")
            }
            guard known.contains(name) else {
                let list = known.sorted().joined(separator: ", ")
                throw APIError.badParameter(
                    name, "unknown parameter \"\(name)\"; this endpoint takes \(list.isEmpty ? "none" : list)")
            }
            guard let value = parts.count > 1 ? Self.decode(parts[1]) : "" else {
                throw APIError.badParameter(name, "\(name) is not valid percent-encoded UTF-8")
            }
            guard values[name] == nil else { throw APIError.badParameter(name, "\(name) is given more than once") }
            guard value.unicodeScalars.count <= Self.maxValueLength else {
                throw APIError.badParameter(
                    name, "\(name) is \(value.unicodeScalars.count) characters long; at most \(Self.maxValueLength)")
            }
            values[name] = value
        }
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The value of `name`, or nil when absent.
    subscript(_ name: String) -> String? { values[name] }

    /// The value of `name` (absent or empty gives `defaultValue`), at most `maxLength` characters.
    func string(_ name: String, default defaultValue: String, maxLength: Int) throws(APIError) -> String {
        guard let value = values[name], !value.isEmpty else { return defaultValue }
        // Code points, as JSON Schema's maxLength counts.
        guard value.unicodeScalars.count <= maxLength else {
            throw APIError.badParameter(
                name, "\(name) is \(value.unicodeScalars.count) characters long; at most \(maxLength)")
        }
        return value
    }

    /// The integer `name` in `range`, or `defaultValue` when absent.
    func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let text = values[name] else { return defaultValue }
        guard let value = Int(text), text.first != "+" else {
            throw APIError.badParameter(name, "\(name) must be a whole number from \(range.lowerBound) to "
                + "\(range.upperBound), not \"\(text)\"")
        }
        guard range.contains(value) else {
            throw APIError.badParameter(name, "\(name) must be from \(range.lowerBound) to \(range.upperBound), "
                + "not \(value)")
        }
        return value
    }
}
