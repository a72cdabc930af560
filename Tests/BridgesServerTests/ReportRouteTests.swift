@testable import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /api/v1/reports/{report}` (server.md): the CSV of `bridges export`, its columns as
/// cli.md's, limited to the caller's schools, each download in the disclosure log.
@Suite("server reports", .timeLimit(.minutes(3)))
struct ReportRouteTests {
    /// Sessions at both schools: 8A (0202) by off2, 9H (0303) by the district admin.
    static func logBoth(_ client: any TestClientProtocol, _ district: ServerFixture) async throws {
        let first = try await APITests.post(client, district, as: "off2", key: "k-8A", APITests.session8A)
        #expect(first.status == .created, "\(first.text)")
        let nineH: [String: Any] = ["lesson": "fa-scene-safety", "class": "9H", "date": "2025-09-08", "marks": ["3001": "present"], "officer": "ofc-102"]
        let second = try await APITests.post(client, district, as: "dist", key: "k-9H", nineH)
        #expect(second.status == .created, "\(second.text)")
    }

    static func get(_ client: any TestClientProtocol, _ district: ServerFixture, as name: String, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: district.bearer(name))
    }

    static func lines(_ response: TestResponse) -> [String] {
        response.text.split(separator: "\r\n", omittingEmptySubsequences: true).map(String.init)
    }

    @Test func aSchoolAdminsAttendanceReportHasCliMdsColumnsAndOnlyItsSchoolsRows() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            try await Self.logBoth(client, district)
            let response = try await Self.get(client, district, as: "sadm", "/api/v1/reports/attendance?purpose=term%20review%20for%20the%20principal")
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(response.headers[.contentDisposition]?.contains("attendance-") == true)
            let lines = Self.lines(response)
            #expect(lines.first == Report.attendance.columns.joined(separator: ","))
            #expect(lines.count == 5, "\(lines)")
            #expect(lines.dropFirst().allSatisfy { $0.contains(",0202,8A,") })
            #expect(!response.text.contains("Chen"))
            // The district admin gets both schools
            let all = try await Self.get(client, district, as: "dist", "/api/v1/reports/attendance?purpose=audit")
            #expect(Self.lines(all).count == 6)
            #expect(all.text.contains("Chen"))
        }
        let log = try await district.records.disclosures()
        let mine = try #require(log.first { $0.actor == "sadm" })
        #expect(mine.kind == "export attendance")
        #expect(mine.purpose == "term review for the principal")
        #expect(mine.rows == 4)
        #expect(mine.students == 4)
        #expect(mine.filters["school"] == "0202")
        #expect(mine.destination == "a download from bridges serve")
    }

    @Test func anotherSchoolAnswers404AsAMissingOneAndNothingIsDisclosed() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            try await Self.logBoth(client, district)
            let other = try await Self.get(client, district, as: "sadm", "/api/v1/reports/attendance?school=0303&purpose=x")
            let missing = try await Self.get(client, district, as: "sadm", "/api/v1/reports/attendance?school=0909&purpose=x")
            #expect(other.status == .notFound)
            #expect(missing.status == .notFound)
            #expect((other.object["detail"] as? String)?.replacingOccurrences(of: "0303", with: "S") == (missing.object["detail"] as? String)?.replacingOccurrences(of: "0909", with: "S"))
            let own = try await Self.get(client, district, as: "sadm", "/api/v1/reports/summary?school=0202&program=first-aid&purpose=x")
            #expect(own.status == .ok, "\(own.text)")
            #expect(Self.lines(own).first == Report.summary.columns.joined(separator: ","))
        }
        #expect(try await district.records.disclosures().map(\.kind) == ["export summary"])
    }

    @Test func aReportThatNamesStudentsNeedsAPurposeAndBadFiltersAre400() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            try await Self.logBoth(client, district)
            for report in ["attendance", "summary", "certificates"] {
                let refused = try await Self.get(client, district, as: "sadm", "/api/v1/reports/\(report)")
                #expect(refused.status == .badRequest, "\(report): \(refused.text)")
                #expect((refused.object["detail"] as? String)?.contains("purpose") == true)
            }
            let badDate = try await Self.get(client, district, as: "dist", "/api/v1/reports/attendance?purpose=x&from=2025-13-40")
            #expect(badDate.status == .badRequest)
            let backwards = try await Self.get(client, district, as: "dist", "/api/v1/reports/attendance?purpose=x&from=2025-10-01&to=2025-09-01")
            #expect(backwards.status == .badRequest)
            let unknown = try await Self.get(client, district, as: "dist", "/api/v1/reports/grades")
            #expect(unknown.status == .notFound)
            // The program report names no student: no purpose needed
            let counts = try await Self.get(client, district, as: "coord", "/api/v1/reports/program-report")
            #expect(counts.status == .ok, "\(counts.text)")
            #expect(Self.lines(counts).first == Report.programReport.columns.joined(separator: ","))
            #expect(Self.lines(counts).count == 3)
        }
        #expect(try await district.records.disclosures().map(\.kind) == ["export program-report"])
    }

    @Test func theBodyIsSentInChunksWithItsLength() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            try await Self.logBoth(client, district)
            let response = try await Self.get(client, district, as: "dist", "/api/v1/reports/certificates?purpose=x&excel=true")
            #expect(response.status == .ok)
            #expect(Array(response.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(response.headers[.contentLength] == String(response.body.readableBytes))
        }
    }
}
