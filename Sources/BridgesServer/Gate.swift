import BridgesCore
import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird

/// What every request passes through, before and after its route: who sends it (a Bearer token
/// or the sign-in cookie), the CSRF check on a cookie's writes, every failure answered as
/// problem+json, the security headers, and the one log line.
struct Gate<Inner: HTTPResponder>: HTTPResponder where Inner.Context == BridgesRequestContext {
    let inner: Inner
    let operations: Operations
    /// Where the request log goes (the command line: standard error).
    let log: @Sendable (String) -> Void

    func respond(to request: Request, context: BridgesRequestContext) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        var response: Response
        do {
            try await identify(request, context: &context)
            response = try await inner.respond(to: request, context: context)
            // The router's own answers (no such route) carry no body: said as a problem too.
            if response.status.code >= 400, response.headers[.contentType] == nil {
                response = Problem(status: response.status, detail: Self.detail(for: response.status)).response
            }
        } catch let problem as Problem {
            response = problem.response
        } catch let error as HTTPResponseError {
            response = Problem(status: error.status, detail: Self.detail(for: error.status)).response
        } catch {
            response = Problem(status: .internalServerError, detail: "the server could not complete the request; nothing was written").response
        }
        Self.addSecurityHeaders(to: &response, path: request.uri.path)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        log(Self.logLine(request: request, status: response.status.code, milliseconds: milliseconds, account: context.caller?.name))
        return response
    }

    /// Sets `caller` from `Authorization: Bearer …` or the sign-in cookie, and refuses a
    /// cookie's write without the CSRF token of its sign-in.
    func identify(_ request: Request, context: inout BridgesRequestContext) async throws {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer",
                  let caller = try await operations.apiTokenCaller(secret: String(parts[1]).trimmingCharacters(in: .whitespaces))
            else { throw Problem.unauthorized("the API token is unknown, revoked or expired") }
            context.caller = caller
            return
        }
        guard let secret = request.cookies[SignInCookie.name]?.value, !secret.isEmpty,
              let (caller, csrfToken) = try await operations.signedIn(secret: secret)
        else { return }
        context.caller = caller
        context.signIn = (csrfToken, secret)
        // Signing in starts a new sign-in and changes nothing of the old one: no token needed.
        let signingIn = request.uri.path == "/sign-in" || request.uri.path == "/api/v1/sign-in"
        if ![.get, .head, .options].contains(request.method), !signingIn {
            let sent = request.headers[HTTPField.Name("X-CSRF-Token")!] ?? ""
            guard Self.constantTimeEqual(sent, csrfToken) else {
                throw Problem(status: .forbidden, detail: "a signed-in browser's changes must carry the X-CSRF-Token header that GET /api/v1/me gives")
            }
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    static func detail(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "no such page or record"
        case .contentTooLarge: "the request body is larger than this server accepts (1 MiB)"
        case .methodNotAllowed: "this address does not take that method"
        case .badRequest: "the request could not be read"
        default: status.reasonPhrase
        }
    }

    /// The request log: method, path with query names but no values, status, milliseconds,
    /// account. Never a body, a query value or a header: no student's name can get in.
    static func logLine(request: Request, status: Int, milliseconds: Double, account: String?) -> String {
        var path = request.uri.path
        let names = request.uri.queryParameters.map { String($0.key) }
        if !names.isEmpty { path += "?" + names.map { "\($0)=" }.joined(separator: "&") }
        let shownAccount = account.map { DisplayText.escaped($0) } ?? "-"
        return "\(request.method.rawValue) \(DisplayText.escaped(path)) \(status) \(String(format: "%.1f", milliseconds))ms \(shownAccount)"
    }

    /// Headers on every answer: nothing from elsewhere may load, nothing is cached or framed.
    static func addSecurityHeaders(to response: inout Response, path: String) {
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        }
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
    }
}

/// The browser's sign-in cookie.
enum SignInCookie {
    static let name = "bridges_session"
}
