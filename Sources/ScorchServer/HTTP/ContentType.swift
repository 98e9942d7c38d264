/// Media types of responses and of the files in the web root.
enum ContentType {
    static let json = "application/json"
    static let prometheusText = "text/plain; version=0.0.4; charset=utf-8"
    static let pprof = "application/octet-stream"
    static let yaml = "application/yaml"
    static let text = "text/plain; charset=utf-8"

    /// The type of a static file by its extension; `application/octet-stream` for unknown ones, which browsers then
    /// download instead of rendering (with `X-Content-Type-Options: nosniff`).
    static func ofFile(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: ".") else { return "application/octet-stream" }
        switch name[name.index(after: dot)...].lowercased() {
        case "html", "htm": return "text/html; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "yaml", "yml": return yaml
        case "json", "map": return json
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "txt", "md": return text
        case "woff2": return "font/woff2"
        default: return "application/octet-stream"
        }
    }
}
