import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/sessions/{id}` and `/admin/reports` (server.md, "The pages").
@Suite("server session and report pages", .timeLimit(.minutes(3)))
struct SessionPageTests {
    @Test func theSessionPageSaysWhatSessionShowSaysWithAQuizFormForEachStudentWhoAttended() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let logged = try await APITests.post(client, district, as: "off2", key: "k", APITests.session8A)
            let id = try #require(logged.object["id"] as? Int)
            _ = try await CorrectionRouteTests.send(client, district, as: "off2", "/api/v1/sessions/\(id)/amendments",
                                                    ["student": "1004", "status": "absent", "reason": "note <not> accepted"])
            let cookie = try await PageTests.signIn(client, "off2")
            let page = try await client.execute(uri: "/sessions/\(id)", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok, "\(page.text)")
            let policy = page.headers[.contentSecurityPolicy] ?? ""
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'") && !policy.contains("unsafe"))
            #expect(page.text.contains("José García"))
            #expect(page.text.contains("note &lt;not&gt; accepted"))
            #expect(page.text.contains("excused → absent"))
            // Present and late students get a form; absent and excused do not
            #expect(page.text.contains("data-student=\"1001\"") && page.text.contains("data-student=\"1002\""))
            #expect(!page.text.contains("data-student=\"1003\"") && !page.text.contains("data-student=\"1004\""))
            #expect(page.text.contains("<label for=\"q0-q1\">") || page.text.contains("for=\"q"))
            #expect(!page.text.contains("correct"), "the page must not give the answers away")
            // Another school's officer: not there; a school admin: the page without quiz entry
            let cookie3 = try await PageTests.signIn(client, "off3")
            let other = try await client.execute(uri: "/sessions/\(id)", method: .get, headers: [.cookie: cookie3])
            #expect(other.status == .notFound)
            let admin = try await client.execute(uri: "/sessions/\(id)", method: .get, headers: [.cookie: try await PageTests.signIn(client, "sadm")])
            #expect(admin.status == .ok)
            #expect(!admin.text.contains("form class=\"quiz\""))
            let anonymous = try await client.execute(uri: "/sessions/\(id)", method: .get)
            #expect(anonymous.status == .seeOther)
        }
    }

    @Test func theReportsPageOffersWhatTheRoleMayDownload() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let admin = try await client.execute(uri: "/admin/reports", method: .get, headers: [.cookie: try await PageTests.signIn(client, "sadm")])
            #expect(admin.status == .ok)
            for report in Report.allCases {
                #expect(admin.text.contains("action=\"/api/v1/reports/\(report.rawValue)\""))
            }
            #expect(admin.text.contains("name=\"purpose\" required"))
            #expect(admin.text.contains("Your schools: 0202"))
            let coordinator = try await client.execute(uri: "/admin/reports", method: .get, headers: [.cookie: try await PageTests.signIn(client, "coord")])
            #expect(coordinator.status == .ok)
            #expect(coordinator.text.contains("/api/v1/reports/program-report") && !coordinator.text.contains("/api/v1/reports/attendance"))
            #expect(admin.text.contains("href=\"/admin/rosters\"") && admin.text.contains("href=\"/admin/certificates\""))
            let rosters = try await client.execute(uri: "/admin/rosters", method: .get, headers: [.cookie: try await PageTests.signIn(client, "sadm")])
            #expect(rosters.status == .ok)
            #expect(rosters.text.contains("<label for=\"roster-file\">") && rosters.text.contains("data-dry-run=\"true\""))
            #expect(rosters.text.contains("data-dry-run=\"false\" disabled"), "import is enabled only after a clean check")
            for account in ["off2", "coord", "aud"] {
                let refused = try await client.execute(uri: "/admin/rosters", method: .get, headers: [.cookie: try await PageTests.signIn(client, account)])
                #expect(refused.status == .forbidden, "\(account)")
            }
            let officer = try await client.execute(uri: "/admin/reports", method: .get, headers: [.cookie: try await PageTests.signIn(client, "off2")])
            #expect(officer.status == .forbidden)
        }
    }
}
