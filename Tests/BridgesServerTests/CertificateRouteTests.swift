@testable import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/v1/certificates/issue` and `/admin/certificates` (server.md): as `certificate
/// issue`, a school admin for its schools' students only.
@Suite("server certificates", .timeLimit(.minutes(3)))
struct CertificateRouteTests {
    static func issue(_ client: any TestClientProtocol, _ district: ServerFixture, as name: String, _ body: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/certificates/issue", method: .post, headers: district.bearer(name), body: jsonBody(body))
    }

    @Test func aSchoolAdminIssuesForItsSchoolsStudentsOnly() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            try await ReportRouteTests.logBoth(client, district)
            // Nobody has finished the program: every student considered is counted as not eligible
            let mine = try await Self.issue(client, district, as: "sadm", ["program": "first-aid", "asOf": "2025-09-30"])
            #expect(mine.status == .ok, "\(mine.text)")
            #expect(mine.array.first?["program"] as? String == "first-aid")
            #expect(mine.array.first?["notEligible"] as? Int == 4)
            #expect(mine.array.first?["issued"] as? Int == 0)
            let all = try await Self.issue(client, district, as: "dist", [:])
            #expect(all.status == .ok, "\(all.text)")
            #expect(all.array.first { $0["program"] as? String == "first-aid" }?["notEligible"] as? Int == 5)
        }
    }

    @Test func badIssuesAre400Or404AndOtherRolesAre403() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let future = try await Self.issue(client, district, as: "dist", ["asOf": "2999-01-01"])
            #expect(future.status == .badRequest, "\(future.text)")
            let unknown = try await Self.issue(client, district, as: "dist", ["program": "juggling"])
            #expect(unknown.status == .notFound, "\(unknown.text)")
            let wrongType = try await client.execute(
                uri: "/api/v1/certificates/issue", method: .post, headers: district.bearer("dist"), body: ByteBuffer(string: "{\"asOf\":7}"))
            #expect(wrongType.status == .badRequest)
            for account in ["off2", "off3", "coord", "aud"] {
                let refused = try await Self.issue(client, district, as: account, [:])
                #expect(refused.status == .forbidden, "\(account): \(refused.text)")
                #expect(refused.headers[.contentType] == "application/problem+json")
            }
            // CSRF on a signed-in browser's issue
            let (cookie, csrf, _) = try await SignInTests.signIn(client, "sadm")
            let forged = try await client.execute(uri: "/api/v1/certificates/issue", method: .post, headers: [.cookie: cookie], body: jsonBody([:]))
            #expect(forged.status == .forbidden)
            let sent = try await client.execute(uri: "/api/v1/certificates/issue", method: .post, headers: [.cookie: cookie, .csrf: csrf], body: jsonBody([:]))
            #expect(sent.status == .ok, "\(sent.text)")
        }
        #expect(try await district.records.certificates(programID: nil).isEmpty)
    }

    @Test func theCertificatesPageIsForThoseWhoIssue() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let admin = try await client.execute(uri: "/admin/certificates", method: .get, headers: [.cookie: try await PageTests.signIn(client, "sadm")])
            #expect(admin.status == .ok)
            #expect(admin.text.contains("data-api=\"/api/v1/certificates/issue\""))
            #expect(admin.text.contains("<label for=\"program\">") && admin.text.contains("<label for=\"asOf\">"))
            for account in ["off2", "coord", "aud"] {
                let refused = try await client.execute(uri: "/admin/certificates", method: .get, headers: [.cookie: try await PageTests.signIn(client, account)])
                #expect(refused.status == .forbidden, "\(account)")
            }
        }
    }
}
