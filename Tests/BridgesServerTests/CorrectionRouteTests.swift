import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Correcting and voiding sessions and recording quiz attempts through the API (server.md):
/// each as its command, the signed-in account its actor, nothing written when refused.
@Suite("server corrections and quizzes", .timeLimit(.minutes(3)))
struct CorrectionRouteTests {
    /// Every answer of fa-scene-safety's quiz that has a key; q4 (short) is left out.
    static let rightAnswers: [String: String] = ["q1": "b", "q2": "a+b+c+e", "q6": "a"]

    static func send(_ client: any TestClientProtocol, _ district: ServerFixture, as name: String, _ uri: String, _ body: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: district.bearer(name), body: jsonBody(body))
    }

    static func show(_ client: any TestClientProtocol, _ district: ServerFixture, _ id: Int) async throws -> [String: Any] {
        try await client.execute(uri: "/api/v1/sessions/\(id)", method: .get, headers: district.bearer("dist")).object
    }

    static func status(of student: String, in shown: [String: Any]) -> String? {
        (shown["marks"] as? [[String: Any]] ?? []).first { $0["student"] as? String == student }?["status"] as? String
    }

    /// Logs 8A's session as off2 and returns its id.
    static func logged(_ client: any TestClientProtocol, _ district: ServerFixture) async throws -> Int {
        let response = try await APITests.post(client, district, as: "off2", key: "k-8A", APITests.session8A)
        #expect(response.status == .created, "\(response.text)")
        return try #require(response.object["id"] as? Int)
    }

    @Test func anOfficerAmendsItsSessionAndTheTrailKeepsTheOldStatusTheReasonAndTheAccount() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let id = try await Self.logged(client, district)
            let amended = try await Self.send(client, district, as: "off2", "/api/v1/sessions/\(id)/amendments",
                                              ["student": "1003", "status": "late", "reason": "arrived after the register"])
            #expect(amended.status == .ok, "\(amended.text)")
            #expect(amended.object["previousStatus"] as? String == "absent")
            #expect(amended.object["status"] as? String == "late")
            let shown = try await Self.show(client, district, id)
            #expect(Self.status(of: "1003", in: shown) == "late")
            let trail = shown["corrections"] as? [[String: Any]] ?? []
            #expect(trail.contains { $0["actor"] as? String == "off2" && $0["oldValue"] as? String == "absent" && $0["reason"] as? String == "arrived after the register" })
        }
    }

    @Test func badAmendmentsAre400AndChangeNothing() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let id = try await Self.logged(client, district)
            let uri = "/api/v1/sessions/\(id)/amendments"
            let word = try await Self.send(client, district, as: "off2", uri, ["student": "1003", "status": "here", "reason": "typo"])
            #expect(word.status == .badRequest)
            #expect((word.object["detail"] as? String)?.contains("'here'") == true)
            let blank = try await Self.send(client, district, as: "off2", uri, ["student": "1003", "status": "late", "reason": "  "])
            #expect(blank.status == .badRequest, "\(blank.text)")
            let missing = try await Self.send(client, district, as: "off2", uri, ["student": "1003", "status": "late"])
            #expect(missing.status == .badRequest)
            #expect((missing.object["detail"] as? String)?.contains("reason") == true)
            let stranger = try await Self.send(client, district, as: "off2", uri, ["student": "3001", "status": "late", "reason": "not in the class"])
            #expect(stranger.status.code >= 400 && stranger.status.code < 500, "\(stranger.text)")
            let shown = try await Self.show(client, district, id)
            #expect(Self.status(of: "1003", in: shown) == "absent")
            #expect((shown["corrections"] as? [[String: Any]] ?? []).map { $0["action"] as? String } == ["log"])
        }
    }

    @Test func aVoidedSessionLeavesTheListingsCountsAndCannotBeVoidedTwice() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let id = try await Self.logged(client, district)
            let uri = "/api/v1/sessions/\(id)/void"
            let noReason = try await Self.send(client, district, as: "off2", uri, ["reason": ""])
            #expect(noReason.status == .badRequest)
            #expect(((try await Self.show(client, district, id))["session"] as? [String: Any])?["voided"] as? Bool == false)
            let voided = try await Self.send(client, district, as: "off2", uri, ["reason": "logged for the wrong class"])
            #expect(voided.status == .ok, "\(voided.text)")
            let shown = try await Self.show(client, district, id)
            #expect((shown["session"] as? [String: Any])?["voided"] as? Bool == true)
            #expect(shown["voidReason"] as? String == "logged for the wrong class")
            let again = try await Self.send(client, district, as: "off2", uri, ["reason": "again"])
            #expect(again.status == .badRequest, "\(again.text)")
        }
    }

    @Test func aQuizAttemptIsMarkedAndItsScoreReturned() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let id = try await Self.logged(client, district)
            let recorded = try await Self.send(client, district, as: "off2", "/api/v1/sessions/\(id)/quiz-attempts",
                                               ["student": "1001", "answers": Self.rightAnswers])
            #expect(recorded.status == .created, "\(recorded.text)")
            #expect(recorded.object["attempt"] as? Int == 1)
            let earned = try #require(recorded.object["earned"] as? Int)
            let possible = try #require(recorded.object["possible"] as? Int)
            #expect(earned > 0 && earned <= possible)
            #expect((recorded.object["unanswered"] as? [String])?.contains("q3") == true)
            let shown = try await Self.show(client, district, id)
            let mark = (shown["marks"] as? [[String: Any]] ?? []).first { $0["student"] as? String == "1001" }
            #expect(mark?["quizAttempts"] as? Int == 1)
            #expect(mark?["bestEarned"] as? Int == earned)
        }
    }

    @Test func wrongQuizAnswersAre400WithEveryProblemAndRecordNothing() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let id = try await Self.logged(client, district)
            let uri = "/api/v1/sessions/\(id)/quiz-attempts"
            let unknown = try await Self.send(client, district, as: "off2", uri, ["student": "1001", "answers": ["q99": "a", "q1": "z"]])
            #expect(unknown.status == .badRequest, "\(unknown.text)")
            let detail = unknown.object["detail"] as? String ?? ""
            #expect(detail.contains("q99") && detail.contains("'z'") || detail.contains("q99") && detail.contains("z"), "\(detail)")
            let smuggled = try await Self.send(client, district, as: "off2", uri, ["student": "1001", "answers": ["q1": "b,q2=a"]])
            #expect(smuggled.status == .badRequest, "\(smuggled.text)")
            let notJSON = try await client.execute(uri: uri, method: .post, headers: district.bearer("off2"), body: ByteBuffer(string: "{\"student\":1}"))
            #expect(notJSON.status == .badRequest)
            let shown = try await Self.show(client, district, id)
            #expect((shown["marks"] as? [[String: Any]] ?? []).allSatisfy { $0["quizAttempts"] as? Int == 0 })
        }
    }

    @Test func aSignedInBrowsersCorrectionNeedsTheCSRFTokenAndItsAccountIsTheActor() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let id = try await Self.logged(client, district)
            let (cookie, csrf, _) = try await SignInTests.signIn(client, "off2")
            let body = jsonBody(["student": "1002", "status": "present", "reason": "was on time", "actor": "someone-else"])
            for uri in ["/api/v1/sessions/\(id)/amendments", "/api/v1/sessions/\(id)/void", "/api/v1/sessions/\(id)/quiz-attempts"] {
                let refused = try await client.execute(uri: uri, method: .post, headers: [.cookie: cookie], body: body)
                #expect(refused.status == .forbidden, "\(uri): \(refused.text)")
            }
            let shown = try await Self.show(client, district, id)
            #expect(Self.status(of: "1002", in: shown) == "late")
            #expect((shown["session"] as? [String: Any])?["voided"] as? Bool == false)
            let accepted = try await client.execute(
                uri: "/api/v1/sessions/\(id)/amendments", method: .post, headers: [.cookie: cookie, .csrf: csrf], body: body)
            #expect(accepted.status == .ok, "\(accepted.text)")
            let trail = (try await Self.show(client, district, id))["corrections"] as? [[String: Any]] ?? []
            #expect(trail.filter { $0["action"] as? String != "log" }.map { $0["actor"] as? String } == ["off2"])
            #expect(trail.filter { $0["action"] as? String != "log" }.count == 1, "the refused requests left no trace")
        }
    }

    @Test func aSchoolAdminCorrectsAnySessionOfItsSchool() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let id = try await Self.logged(client, district)
            let amended = try await Self.send(client, district, as: "sadm", "/api/v1/sessions/\(id)/amendments",
                                              ["student": "1004", "status": "absent", "reason": "the note was not accepted"])
            #expect(amended.status == .ok, "\(amended.text)")
            let voided = try await Self.send(client, district, as: "sadm", "/api/v1/sessions/\(id)/void", ["reason": "a duplicate"])
            #expect(voided.status == .ok, "\(voided.text)")
        }
    }
}
