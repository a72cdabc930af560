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
    /// The addresses of the proxies in front of the server (e.g. 127.0.0.1 for nginx on the same
    /// machine). A request from one of them is counted against the address the proxy says it came
    /// from (the last one in `X-Forwarded-For`, the one that proxy added); from anyone else the
    /// header is ignored, so a client cannot name its way out of a limit.
    public var trustedProxies: Set<String>

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, trustedProxies: Set<String> = [],
                clock: @escaping @Sendable () -> Date) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.trustedProxies = trustedProxies
        self.clock = clock
    }

    /// The address a request is counted against: the peer's, or behind a trusted proxy the
    /// address that proxy added to `X-Forwarded-For`.
    func clientAddress(peer: String?, forwardedFor: String?) -> String? {
        guard let peer, trustedProxies.contains(peer), let forwardedFor,
              let last = forwardedFor.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        else { return peer }
        return last
    }

    /// Whether browsers reach the server over TLS (so the cookie may only travel that way).
    var secureCookies: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }
}
