import BridgesCore
import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird

/// An error answered as `application/problem+json` (RFC 9457) with the located diagnostics the
/// command line would print, as server.md promises.
struct Problem: Error, Sendable {
    var status: HTTPResponse.Status
    var detail: String
    var diagnostics: [Diagnostic] = []
    /// Extra members of the body (the existing session of a 409).
    var extra: [String: Int64] = [:]
    /// Seconds, for a 503.
    var retryAfter: Int?
    /// Kit's stable code of the failure (`usage.date`, `not-found.student`), for programs.
    var code: String?
    /// The request's fields the failure is about, by their names in the API.
    var fields: [String] = []

    static func unauthorized(_ detail: String = "sign in first (POST /api/v1/sign-in), or send Authorization: Bearer TOKEN") -> Problem {
        Problem(status: .unauthorized, detail: detail)
    }

    static func badRequest(_ detail: String) -> Problem { Problem(status: .badRequest, detail: detail) }

    /// The HTTP answer to a failed operation: the same case decides the exit code on the
    /// command line and the status here.
    init(_ error: BridgesError) {
        let words = APIWords()
        let detail = error.text(in: words)
        switch error {
        case .usage, .rejected: self.init(status: .badRequest, detail: detail)
        case .invalidInput(let diagnostics): self.init(status: .badRequest, detail: detail, diagnostics: diagnostics)
        case .notFound: self.init(status: .notFound, detail: detail)
        case .forbidden: self.init(status: .forbidden, detail: detail)
        case .busy: self.init(status: .serviceUnavailable, detail: detail, retryAfter: 2)
        case .io, .internalError:
            // The detail of a server-side failure (a path, an errno) is for the operator's log,
            // not for whoever sent the request.
            self.init(status: .internalServerError, detail: "the server could not complete the request; nothing was written")
        }
        code = error.code
        fields = error.message.fields.map(words.name(of:))
    }

    init(status: HTTPResponse.Status, detail: String, diagnostics: [Diagnostic] = [], extra: [String: Int64] = [:], retryAfter: Int? = nil) {
        self.status = status
        self.detail = detail
        self.diagnostics = diagnostics
        self.extra = extra
        self.retryAfter = retryAfter
    }

    var response: Response {
        var body: [String: Any] = [
            "type": "about:blank",
            "title": status.reasonPhrase,
            "status": status.code,
            "detail": detail,
            "diagnostics": diagnostics.map { diagnostic -> [String: Any] in
                var item: [String: Any] = ["file": diagnostic.file, "line": diagnostic.line, "severity": diagnostic.severity.rawValue, "code": diagnostic.code, "message": diagnostic.text.rendered(in: APIWords())]
                item["column"] = diagnostic.column ?? NSNull()
                return item
            },
        ]
        if let code { body["code"] = code }
        if !fields.isEmpty { body["fields"] = fields }
        for (key, value) in extra { body[key] = value }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"bridges\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Kit's messages in the API's words: a field by its name in a JSON body or query (`asOf`), an
/// action by Bridges' own name for it (`session void`), which the pages and the command line share.
struct APIWords: MessageWords {
    func name(of field: Field) -> String {
        switch field {
        case .database: return "database"
        case .verifyURL: return "verifyUrl"
        default:
            let words = field.rawValue.split(separator: "-")
            return words.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
        }
    }

    func name(of action: Action) -> String { action.rawValue }
}

