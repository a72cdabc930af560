import BridgesCore
import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird

/// The API's corrections, quiz attempts and reports (server.md): each as its command, with the
/// signed-in account as the actor and the role rule and school scope in Kit.
enum WriteRoutes {
    /// The body of `POST /api/v1/sessions/{id}/amendments`.
    struct AmendmentBody: Decodable { var student: String; var status: String; var reason: String }
    /// The body of `POST /api/v1/sessions/{id}/void`.
    struct VoidBody: Decodable { var reason: String }
    /// The body of `POST /api/v1/sessions/{id}/quiz-attempts`.
    struct QuizBody: Decodable { var student: String; var answers: [String: String] }

    /// The body of `POST /api/v1/certificates/issue`: both optional.
    struct IssueBody: Decodable { var program: String?; var asOf: String? }

    /// Bytes of a report sent at a time.
    static let chunkSize = 64 * 1024

    static func add(to router: Router<BridgesRequestContext>, operations: Operations) {
        let api = router.group("api/v1")

        api.post("sessions/{id}/amendments") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try sessionID(context)
            let body: AmendmentBody = try await APIRoutes.decode(request, context: context)
            guard let status = AttendanceStatus(rawValue: body.status.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw Problem.badRequest("status: '\(body.status)' is not a status; use present, late, absent or excused")
            }
            let old = try await operations.amendSession(id: id, student: body.student, status: status, reason: body.reason, caller: caller)
            return try APIRoutes.json(AmendmentOut(session: id, student: body.student, status: status.rawValue, previousStatus: old?.rawValue, changed: old != status))
        }

        api.post("sessions/{id}/void") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try sessionID(context)
            let body: VoidBody = try await APIRoutes.decode(request, context: context)
            try await operations.voidSession(id: id, reason: body.reason, caller: caller)
            return try APIRoutes.json(VoidOut(session: id, voided: true))
        }

        api.post("sessions/{id}/quiz-attempts") { request, context -> Response in
            let caller = try context.requireCaller()
            let id = try sessionID(context)
            let body: QuizBody = try await APIRoutes.decode(request, context: context)
            let result = try await operations.recordQuiz(session: id, student: body.student, answers: body.answers, caller: caller)
            return try APIRoutes.json(QuizOut(session: id, result), status: .created)
        }

        api.post("certificates/issue") { request, context -> Response in
            let caller = try context.requireCaller()
            let body: IssueBody = try await APIRoutes.decode(request, context: context)
            let issues = try await operations.issueCertificates(
                programID: body.program.flatMap { $0.isEmpty ? nil : $0 }, asOf: body.asOf.flatMap { $0.isEmpty ? nil : $0 }, caller: caller)
            return try APIRoutes.json(issues.map {
                IssueOut(program: $0.programID, issued: $0.issuedCount, alreadyHeld: $0.alreadyHeld, revokedSkipped: $0.revokedSkipped, notEligible: $0.notEligible)
            })
        }

        api.get("reports/{report}") { request, context -> Response in
            let caller = try context.requireCaller()
            let name = try context.parameters.require("report")
            guard let report = Report(rawValue: name) else {
                throw Problem(status: .notFound, detail: "there is no report '\(name)'; the reports are \(Report.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let query = request.uri.queryParameters
            func value(_ name: String) -> String? { query[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
            let excel = value("excel") == "true"
            let stream = try await operations.streamReport(
                report, programID: value("program"), schoolID: value("school"), from: value("from"), to: value("to"),
                excel: excel, purpose: value("purpose"), caller: caller)
            let fileName = Registrar.reportFileName(
                report, programID: value("program"), schoolID: value("school"), from: value("from"), to: value("to"), on: operations.today)
            let headers: HTTPFields = [
                .contentType: "text/csv; charset=utf-8; header=present",
                .contentDisposition: "attachment; filename=\"\(fileName)\"",
            ]
            // Sent from the finished, recorded file a chunk at a time: memory stays flat however
            // large the report.
            return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: stream.byteCount) { writer in
                var offset = 0
                while offset < stream.byteCount {
                    let chunk = try await operations.read(stream, at: offset, upTo: chunkSize)
                    if chunk.isEmpty { break }
                    try await writer.write(ByteBuffer(bytes: chunk))
                    offset += chunk.count
                }
                try await writer.finish(nil)
            })
        }
    }

    /// The `{id}` of a session route; one that is not a number is a session that does not exist.
    static func sessionID(_ context: BridgesRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text) else { throw Problem(status: .notFound, detail: "no session \(text)") }
        return id
    }
}

struct AmendmentOut: Encodable {
    var session: Int64
    var student: String
    var status: String
    var previousStatus: String?
    var changed: Bool
}

struct VoidOut: Encodable {
    var session: Int64
    var voided: Bool
}

/// A marked quiz attempt: the score, and the student's best at the lesson's quiz so far.
struct QuizOut: Encodable {
    struct Question: Encodable { var id: String; var response: String?; var earned: Int; var possible: Int }
    var session: Int64
    var student: String
    var attempt: Int
    var earned: Int
    var possible: Int
    var percent: Double
    var passed: Bool
    var bestPercent: Double
    var bestPassed: Bool
    var unanswered: [String]
    var questions: [Question]

    init(session: Int64, _ result: QuizAttemptResult) {
        self.session = session
        student = result.studentID; attempt = result.attempt; earned = result.earned; possible = result.possible
        percent = result.percent; passed = result.passed; bestPercent = result.bestPercent; bestPassed = result.bestPassed
        unanswered = result.unanswered
        questions = result.questions.map { Question(id: $0.questionID, response: $0.response, earned: $0.earned, possible: $0.possible) }
    }
}

/// What `certificate issue` did for one program.
struct IssueOut: Encodable {
    var program: String
    var issued: Int
    var alreadyHeld: Int
    var revokedSkipped: Int
    var notEligible: Int
}
