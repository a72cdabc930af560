import BridgesKit
import Hummingbird

/// What the server knows about a request besides the request itself: who sent it.
public struct BridgesRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in account or token holder; nil for an anonymous request.
    var caller: Caller?
    /// Set when the caller came by the sign-in cookie (not a token): its CSRF token and secret.
    var signIn: (csrfToken: String, secret: String)?

    /// The peer's IP address (the proxy's, behind one: see `ServerSettings.trustedProxies`), for the
    /// verification page's rate limit.
    let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Larger bodies are answered 413 before they are read whole.
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The caller, or a 401.
    func requireCaller() throws -> Caller {
        guard let caller else { throw Problem.unauthorized() }
        return caller
    }
}
