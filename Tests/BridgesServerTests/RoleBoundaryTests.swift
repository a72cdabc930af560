import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every role tried on every route it must not use (server.md, "Accounts and roles"): 403 where
/// the role may not do the thing at all, 404 where the thing is another school's.
@Suite("server role boundaries", .timeLimit(.minutes(3)))
struct RoleBoundaryTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var account: String
        var method: HTTPRequest.Method
        var uri: String
        var status: HTTPResponse.Status
        var testDescription: String { "\(account) \(method.rawValue) \(uri) → \(status.code)" }
    }

    static let cases: [Case] = [
        // A coordinator loads and reads lesson plans: no rosters, no sessions
        Case(account: "coord", method: .get, uri: "/api/v1/classes", status: .forbidden),
        Case(account: "coord", method: .get, uri: "/api/v1/classes/8A/students", status: .forbidden),
        Case(account: "coord", method: .post, uri: "/api/v1/sessions", status: .forbidden),
        Case(account: "coord", method: .get, uri: "/api/v1/sessions", status: .forbidden),
        Case(account: "coord", method: .get, uri: "/api/v1/sessions/1", status: .forbidden),
        // A school admin and an auditor do not log sessions
        Case(account: "sadm", method: .post, uri: "/api/v1/sessions", status: .forbidden),
        Case(account: "aud", method: .post, uri: "/api/v1/sessions", status: .forbidden),
        // Another school's class and session are not there for an officer or a school admin
        Case(account: "off3", method: .get, uri: "/api/v1/classes/8A/students", status: .notFound),
        Case(account: "off3", method: .post, uri: "/api/v1/sessions", status: .notFound),
        Case(account: "off3", method: .get, uri: "/api/v1/sessions/1", status: .notFound),
        Case(account: "off3", method: .get, uri: "/api/v1/sessions?class=8A", status: .notFound),
        Case(account: "sadm", method: .get, uri: "/api/v1/classes/9H/students", status: .notFound),
    ]

    @Test(arguments: cases)
    func aRoleIsRefusedWhatItMayNotDo(_ refused: Case) async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        // Session 1 exists: 8A's, logged by the district admin for ofc-101
        _ = try await district.test { client in
            var logged = APITests.session8A
            logged["officer"] = "ofc-101"
            let first = try await APITests.post(client, district, as: "dist", key: "setup", logged)
            #expect(first.status == .created, "\(first.text)")
            var headers = district.bearer(refused.account)
            headers[.idempotencyKey] = "boundary"
            let response = try await client.execute(
                uri: refused.uri, method: refused.method, headers: headers,
                body: refused.method == .post ? jsonBody(APITests.session8A.merging(["date": "2025-09-10"]) { $1 }) : nil)
            #expect(response.status == refused.status, "\(response.text)")
            #expect(response.headers[.contentType] == "application/problem+json")
            let list = try await client.execute(uri: "/api/v1/sessions", method: .get, headers: district.bearer("dist"))
            #expect(list.array.count == 1, "a refused request wrote something")
        }
    }

    @Test func anOfficerLogsOnlyAsItsOwnOfficer() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            var body = APITests.session8A
            body["officer"] = "ofc-102"
            let response = try await APITests.post(client, district, as: "off2", key: "k", body)
            #expect(response.status == .created)
            let id = try #require(response.object["id"] as? Int)
            let shown = try await client.execute(uri: "/api/v1/sessions/\(id)", method: .get, headers: district.bearer("off2"))
            #expect((shown.object["session"] as? [String: Any])?["officerId"] as? String == "ofc-101")
        }
    }
}
