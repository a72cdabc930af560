import Foundation

/// How `bridges serve` listens and how it speaks of itself to browsers.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// The address people reach the server by (behind a TLS proxy); `https://…` makes the
    /// sign-in cookie Secure.
    public var publicURL: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
    }

    /// Whether browsers reach the server over TLS (so the cookie may only travel that way).
    var secureCookies: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }
}
