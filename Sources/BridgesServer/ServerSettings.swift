import Foundation

/// How `bridges serve` listens and how it speaks of itself to browsers.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// The address people reach the server by (behind a TLS proxy); `https://…` makes the
    /// sign-in cookie Secure.
    public var publicURL: String?
    /// The time the server's own rules read (the verification page's limit per address); the
    /// front door hands in the system clock, a test a clock that stands still.
    public var clock: @Sendable () -> Date

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, clock: @escaping @Sendable () -> Date) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.clock = clock
    }

    /// Whether browsers reach the server over TLS (so the cookie may only travel that way).
    var secureCookies: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }
}
