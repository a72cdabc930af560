import BridgesCore
import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird

/// The body of `POST /api/v1/sessions` (server.md).
struct SessionBody: Decodable, Sendable {
    var lesson: String
    var `class`: String
    var date: String
    var minutes: Int?
    var marks: [String: String]
    var note: String?
    /// Only for a role that logs for an officer (a district admin); an officer logs as itself.
    var officer: String?

    /// The marks as statuses; a word that is not one is a 400 naming the student.
    var statuses: [String: AttendanceStatus] {
        marks.compactMapValues { AttendanceStatus(rawValue: $0) }
    }

    func check() throws {
        for (student, word) in marks.sorted(by: { $0.key < $1.key }) where AttendanceStatus(rawValue: word) == nil {
            throw Problem.badRequest("marks: '\(word)' for student \(student) is not a status; use present, late, absent or excused")
        }
    }
}

/// The JSON API of server.md under `/api/v1`, and `/healthz`.
enum APIRoutes {
    static func add(to router: Router<BridgesRequestContext>, operations: Operations, settings: ServerSettings) {
        router.get("/healthz") { _, _ -> Response in
            guard await operations.databaseAnswers() else {
                throw Problem(status: .serviceUnavailable, detail: "the database does not answer", retryAfter: 5)
            }
            return text("ok\n")
        }

        let api = router.group("api/v1")

        // Public, as /healthz: what a client needs before it can sign in.
        api.get("openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.served)))
        }

        api.post("sign-in") { request, context -> Response in
            struct Credentials: Decodable { var username: String; var password: String }
            let credentials: Credentials = try await decode(request, context: context)
            switch try await operations.signIn(username: credentials.username, password: credentials.password) {
            case .refused:
                throw Problem.unauthorized("the user name or password is wrong")
            case .locked(let until):
                throw Problem.unauthorized("too many wrong passwords in a row; this account is locked until \(until)")
            case .signedIn(let signedIn):
                var response = try json(MeBody(signedIn.caller, csrfToken: signedIn.csrfToken))
                response.setCookie(Cookie(
                    name: SignInCookie.name, value: signedIn.secret,
                    maxAge: AccountRules.signInHours * 3600, path: "/", secure: settings.secureCookies, httpOnly: true, sameSite: .strict))
                return response
            }
        }

        api.post("sign-out") { _, context -> Response in
            let caller = try context.requireCaller()
            guard let signIn = context.signIn else {
                throw Problem.badRequest("an API token is not signed in; revoke it with bridges token revoke instead")
            }
            try await operations.signOut(secret: signIn.secret, caller: caller)
            var response = Response(status: .noContent)
            response.setCookie(Cookie(
                name: SignInCookie.name, value: "", maxAge: 0, path: "/",
                secure: settings.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        }

        api.get("me") { _, context -> Response in
            try json(MeBody(try context.requireCaller(), csrfToken: context.signIn?.csrfToken))
        }

        api.get("classes") { _, context -> Response in
            let classes = try await operations.classes(caller: try context.requireCaller())
            return try json(classes.map { ClassBody(id: $0.id, name: $0.name, schoolId: $0.schoolID, students: $0.students) })
        }

        api.get("classes/{id}/students") { _, context -> Response in
            let caller = try context.requireCaller()
            let id = try context.parameters.require("id")
            let students = try await operations.students(classID: id, caller: caller)
            return try json(students.map { StudentBody(id: $0.id, givenName: $0.givenName, familyName: $0.familyName, grade: $0.grade) })
        }

        api.get("lessons") { request, context -> Response in
            let caller = try context.requireCaller()
            // An empty value is no filter, as on every other route (not "no program ''").
            let program = request.uri.queryParameters["program"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            let lessons = try await operations.lessons(programID: program, caller: caller)
            return try json(lessons.map { LessonBody(id: $0.lessonID, programId: $0.programID, title: $0.title, version: $0.version, minutes: $0.minutes) })
        }

        api.post("sessions") { request, context -> Response in
            let caller = try context.requireCaller()
            guard let key = request.headers[HTTPField.Name("Idempotency-Key")!], !key.isEmpty else {
                throw Problem.badRequest("the Idempotency-Key header is required: a random id the client makes once for this session and sends again with every retry")
            }
            var request = request
            let buffer = try await request.collectBody(upTo: context.maxUploadSize)
            let bytes = Array(buffer.readableBytesView)
            let body: SessionBody
            do {
                body = try JSONDecoder().decode(SessionBody.self, from: Data(bytes))
            } catch {
                throw Problem.badRequest("the body is not the JSON of a session: \(describe(error))")
            }
            try body.check()
            let outcome = try await operations.logSession(body, idempotencyKey: key, bodyHash: SHA256.hash(bytes).hexadecimal, caller: caller)
            switch outcome {
            case .logged(let logged):
                return try json(["id": logged.id], status: .created)
            case .replayed(let id):
                return try json(["id": id])
            case .keyReused(let id):
                throw Problem(
                    status: .unprocessableContent,
                    detail: "this Idempotency-Key was used for session \(id) with another body; make a new key for a new session",
                    extra: ["session": id])
            case .duplicate(let existing):
                throw Problem(
                    status: .conflict,
                    detail: "lesson \(body.lesson) is already logged for class \(body.class) on \(body.date) as session \(existing); correct that session instead",
                    extra: ["existingSession": existing])
            }
        }

        api.get("sessions") { request, context -> Response in
            let caller = try context.requireCaller()
            let query = request.uri.queryParameters
            func value(_ name: String) -> String? { query[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
            let sessions = try await operations.sessions(
                classID: value("class"), programID: value("program"), from: value("from"), to: value("to"), caller: caller)
            return try json(sessions.map(SessionBodyOut.init))
        }

        api.get("sessions/{id}") { _, context -> Response in
            let caller = try context.requireCaller()
            guard let id = Int64(try context.parameters.require("id")) else { throw Problem(status: .notFound, detail: "no such session") }
            let detail = try await operations.session(id: id, caller: caller)
            return try json(SessionDetailBody(detail))
        }
    }

    static func decode<T: Decodable>(_ request: Request, context: BridgesRequestContext) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw Problem.badRequest("the body is not the JSON this address takes: \(describe(error))")
        }
    }

    /// A decoding error in a sentence that names the field.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "\"\(key.stringValue)\" is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "\"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type"
        case DecodingError.dataCorrupted: "it is not valid JSON"
        default: "it could not be read"
        }
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ value: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: value)))
    }
}

struct MeBody: Encodable {
    var username: String
    var role: String
    var schools: [String]
    var officer: String?
    var csrfToken: String?

    init(_ caller: Caller, csrfToken: String?) {
        username = caller.name
        role = caller.role.rawValue
        schools = caller.schools.map { $0.sorted() } ?? []
        officer = caller.officerID
        self.csrfToken = csrfToken
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(username, forKey: .username)
        try container.encode(role, forKey: .role)
        try container.encode(schools, forKey: .schools)
        try container.encode(officer, forKey: .officer)
        try container.encode(csrfToken, forKey: .csrfToken)
    }

    enum CodingKeys: String, CodingKey { case username, role, schools, officer, csrfToken }
}

struct ClassBody: Encodable { var id: String; var name: String; var schoolId: String; var students: Int }
struct StudentBody: Encodable { var id: String; var givenName: String; var familyName: String; var grade: String }
struct LessonBody: Encodable { var id: String; var programId: String; var title: String; var version: Int; var minutes: Int }

/// A session in a listing: what `session list` shows.
struct SessionBodyOut: Encodable {
    var id: Int64
    var date: String
    var programId: String
    var lessonId: String
    var lessonVersion: Int
    var lessonTitle: String
    var schoolId: String
    var classId: String
    var officerId: String
    var minutes: Int
    var note: String?
    var recordedAt: String
    var recordedBy: String
    var voided: Bool
    var counts: [String: Int]

    init(_ info: SessionInfo) {
        id = info.id; date = info.date; programId = info.programID; lessonId = info.lessonID; lessonVersion = info.lessonVersion
        lessonTitle = info.lessonTitle; schoolId = info.schoolID; classId = info.classID; officerId = info.officerID
        minutes = info.minutes; note = info.note; recordedAt = info.recordedAt; recordedBy = info.recordedBy
        voided = info.voidedAt != nil
        counts = Dictionary(uniqueKeysWithValues: AttendanceStatus.allCases.map { ($0.rawValue, info.counts[$0] ?? 0) })
    }
}

/// A session with its marks, quiz scores and corrections: what `session show` shows.
struct SessionDetailBody: Encodable {
    struct Mark: Encodable {
        var student: String
        var givenName: String
        var familyName: String
        var status: String
        var quizAttempts: Int
        var bestEarned: Int?
        var bestPossible: Int?
    }
    struct Correction: Encodable {
        var at: String
        var actor: String
        var action: String
        var field: String?
        var oldValue: String?
        var newValue: String?
        var reason: String?
    }
    var session: SessionBodyOut
    var voidReason: String?
    var marks: [Mark]
    var corrections: [Correction]

    init(_ detail: SessionDetail) {
        session = SessionBodyOut(detail.session)
        voidReason = detail.session.voidReason
        marks = detail.students.map {
            Mark(student: $0.studentID, givenName: $0.givenName, familyName: $0.familyName, status: $0.status.rawValue,
                 quizAttempts: $0.quizAttempts, bestEarned: $0.bestEarned, bestPossible: $0.bestPossible)
        }
        corrections = detail.trail.map {
            Correction(at: $0.at, actor: $0.actor, action: $0.action, field: $0.field, oldValue: $0.oldValue, newValue: $0.newValue, reason: $0.reason)
        }
    }
}
