@testable import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every role tried on the correction, quiz and report routes it must not use: 403 where the role
/// may not do it at all (or an officer's session it did not log), 404 for another school's.
@Suite("server role boundaries: corrections, quizzes, reports", .timeLimit(.minutes(3)))
struct WriteRoleBoundaryTests {
    /// Which session a case is about: `own` 8A logged by off2 (ofc-101, school 0202); `colleague`
    /// 8B logged for ofc-102 (school 0202); `otherSchool` 9H (school 0303).
    enum Target: String, Sendable { case own, colleague, otherSchool, none }

    struct Case: CustomTestStringConvertible, Sendable {
        var account: String
        var method: HTTPRequest.Method
        var route: String
        var target: Target
        var status: HTTPResponse.Status
        var testDescription: String { "\(account) \(method.rawValue) \(route) (\(target.rawValue)) → \(status.code)" }
    }

    static let amend = "amendments", void = "void", quiz = "quiz-attempts"

    static let cases: [Case] = [
        // A coordinator and an auditor correct nothing and record no quiz
        Case(account: "coord", method: .post, route: amend, target: .own, status: .forbidden),
        Case(account: "coord", method: .post, route: void, target: .own, status: .forbidden),
        Case(account: "coord", method: .post, route: quiz, target: .own, status: .forbidden),
        Case(account: "aud", method: .post, route: amend, target: .own, status: .forbidden),
        Case(account: "aud", method: .post, route: void, target: .own, status: .forbidden),
        Case(account: "aud", method: .post, route: quiz, target: .own, status: .forbidden),
        // A school admin corrects but records no quiz, and not at another school
        Case(account: "sadm", method: .post, route: quiz, target: .own, status: .forbidden),
        Case(account: "sadm", method: .post, route: amend, target: .otherSchool, status: .notFound),
        Case(account: "sadm", method: .post, route: void, target: .otherSchool, status: .notFound),
        // An officer: only the sessions it logged; another school's are not there
        Case(account: "off2", method: .post, route: amend, target: .colleague, status: .forbidden),
        Case(account: "off2", method: .post, route: void, target: .colleague, status: .forbidden),
        Case(account: "off2", method: .post, route: quiz, target: .colleague, status: .forbidden),
        Case(account: "off3", method: .post, route: amend, target: .own, status: .notFound),
        Case(account: "off3", method: .post, route: void, target: .own, status: .notFound),
        Case(account: "off3", method: .post, route: quiz, target: .own, status: .notFound),
        // Reports: an officer none; a coordinator only the counts; a school admin not another school's
        Case(account: "off2", method: .get, route: "attendance", target: .none, status: .forbidden),
        Case(account: "off2", method: .get, route: "summary", target: .none, status: .forbidden),
        Case(account: "off2", method: .get, route: "certificates", target: .none, status: .forbidden),
        Case(account: "off2", method: .get, route: "program-report", target: .none, status: .forbidden),
        Case(account: "off3", method: .get, route: "attendance", target: .none, status: .forbidden),
        Case(account: "coord", method: .get, route: "attendance", target: .none, status: .forbidden),
        Case(account: "coord", method: .get, route: "summary", target: .none, status: .forbidden),
        Case(account: "coord", method: .get, route: "certificates", target: .none, status: .forbidden),
        Case(account: "sadm", method: .get, route: "attendance?school=0303", target: .none, status: .notFound),
        Case(account: "sadm", method: .get, route: "program-report?school=0303", target: .none, status: .notFound),
    ]

    @Test(arguments: cases)
    func aRoleIsRefusedWhatItMayNotDo(_ refused: Case) async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            var ids: [Target: Int] = [:]
            for (target, body, account) in [
                (Target.own, APITests.session8A, "off2"),
                (.colleague, ["lesson": "fa-scene-safety", "class": "8B", "date": "2025-09-08", "marks": ["2001": "present", "2002": "late"], "officer": "ofc-102"], "dist"),
                (.otherSchool, ["lesson": "fa-scene-safety", "class": "9H", "date": "2025-09-08", "marks": ["3001": "absent"], "officer": "ofc-102"], "dist"),
            ] as [(Target, [String: Any], String)] {
                let logged = try await APITests.post(client, district, as: account, key: target.rawValue, body)
                #expect(logged.status == .created, "\(logged.text)")
                ids[target] = logged.object["id"] as? Int
            }
            let before = try await Self.snapshot(client, district, ids)
            let response: TestResponse
            if refused.method == .get {
                let separator = refused.route.contains("?") ? "&" : "?"
                response = try await client.execute(
                    uri: "/api/v1/reports/\(refused.route)\(separator)purpose=boundary", method: .get, headers: district.bearer(refused.account))
            } else {
                let id = try #require(ids[refused.target])
                let body: [String: Any] = switch refused.route {
                case Self.amend: ["student": "1001", "status": "absent", "reason": "boundary"]
                case Self.void: ["reason": "boundary"]
                default: ["student": "1001", "answers": CorrectionRouteTests.rightAnswers]
                }
                response = try await client.execute(
                    uri: "/api/v1/sessions/\(id)/\(refused.route)", method: .post, headers: district.bearer(refused.account), body: jsonBody(body))
            }
            #expect(response.status == refused.status, "\(response.text)")
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try await Self.snapshot(client, district, ids) == before, "a refused request wrote something")
        }
        #expect(try await district.records.disclosures().isEmpty, "a refused report was disclosed")
    }

    /// What the sessions say now (marks, quiz attempts, corrections, voided), as text to compare.
    static func snapshot(_ client: any TestClientProtocol, _ district: ServerFixture, _ ids: [Target: Int]) async throws -> String {
        var text = ""
        for id in ids.values.sorted() {
            let shown = try await client.execute(uri: "/api/v1/sessions/\(id)", method: .get, headers: district.bearer("dist"))
            text += String(decoding: try JSONSerialization.data(withJSONObject: shown.json ?? [:], options: [.sortedKeys]), as: UTF8.self) + "\n"
        }
        return text
    }
}
