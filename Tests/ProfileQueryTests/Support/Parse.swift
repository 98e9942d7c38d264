import ProfileQuery
import Testing

/// The error `body` throws, or nil (recording a failure) when it does not throw.
func queryError<T>(_ body: () throws(QueryError) -> T, sourceLocation: SourceLocation = #_sourceLocation)
    -> QueryError?
{
    do {
        let value = try body()
        Issue.record("expected an error, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// The error for parsing `text` as a selector.
func selectorError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> QueryError? {
    queryError({ () throws(QueryError) in try Selector(parsing: text) }, sourceLocation: sourceLocation)
}

/// The error for parsing `text` as a time with `now` = 0.
func timeError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> QueryError? {
    queryError({ () throws(QueryError) in try TimeExpression.parse(text, now: 0) }, sourceLocation: sourceLocation)
}
