import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/v1/rosters[?dry-run=true]` (server.md): as `roster import`, a school admin for its
/// schools only, the upload limited in size, diagnostics naming the file as the client named it.
@Suite("server roster uploads", .timeLimit(.minutes(3)))
struct RosterUploadTests {
    static let header = "school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\r\n"
    /// 8A gains a fifth student.
    static let newStudent = header
        + "0202,Riverside Middle School,8A,Grade 8 Health A,1001,Amara,Okafor,8\r\n"
        + "0202,Riverside Middle School,8A,Grade 8 Health A,1002,Li,Wei,8\r\n"
        + "0202,Riverside Middle School,8A,Grade 8 Health A,1003,José,García,8\r\n"
        + "0202,Riverside Middle School,8A,Grade 8 Health A,1004,Sam,Lee,8\r\n"
        + "0202,Riverside Middle School,8A,Grade 8 Health A,1005,Ana,Silva,8\r\n"

    static func upload(_ client: any TestClientProtocol, _ district: ServerFixture, as name: String, _ query: String, _ text: String, type: String = "text/csv") async throws -> TestResponse {
        var headers = district.bearer(name)
        headers[.contentType] = type
        return try await client.execute(uri: "/api/v1/rosters\(query)", method: .post, headers: headers, body: ByteBuffer(string: text))
    }

    static func students(_ client: any TestClientProtocol, _ district: ServerFixture, _ classID: String) async throws -> [String] {
        try await client.execute(uri: "/api/v1/classes/\(classID)/students", method: .get, headers: district.bearer("dist")).array.compactMap { $0["id"] as? String }
    }

    @Test func aDryRunCountsAndWritesNothingThenTheImportWrites() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let dry = try await Self.upload(client, district, as: "sadm", "?dry-run=true&filename=autumn.csv", Self.newStudent)
            #expect(dry.status == .ok, "\(dry.text)")
            #expect(dry.object["dryRun"] as? Bool == true)
            #expect((dry.object["students"] as? [String: Any])?["added"] as? Int == 1)
            #expect(try await Self.students(client, district, "8A").count == 4)
            let real = try await Self.upload(client, district, as: "sadm", "?filename=autumn.csv", Self.newStudent)
            #expect(real.status == .created, "\(real.text)")
            #expect(real.object["dryRun"] as? Bool == false)
            #expect(try await Self.students(client, district, "8A").contains("1005"))
        }
    }

    @Test func aRowOfAnotherSchoolIsA400DiagnosticNamingTheClientsFileAndNothingIsWritten() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let mixed = Self.newStudent + "0303,Lakeview High School,9H,Grade 9 Health,3002,Ola,Nowak,9\r\n"
            let refused = try await Self.upload(client, district, as: "sadm", "?filename=term%202.csv", mixed)
            #expect(refused.status == .badRequest, "\(refused.text)")
            let diagnostics = refused.object["diagnostics"] as? [[String: Any]] ?? []
            let outside = try #require(diagnostics.first { ($0["message"] as? String)?.contains("school 0303 is not one of yours") == true })
            #expect(outside["file"] as? String == "term 2.csv")
            #expect(outside["line"] as? Int == 7)
            // With its stable code (docs/diagnostic-codes.md), for a program to react to
            #expect(outside["code"] as? String == "roster.school-not-yours")
            #expect(!refused.text.contains("bridges-upload"), "the server's temporary path leaked: \(refused.text)")
            #expect(try await Self.students(client, district, "8A").count == 4)
            #expect(try await Self.students(client, district, "9H") == ["3001"])
            // Without a filename the diagnostics say upload.csv
            let broken = try await Self.upload(client, district, as: "dist", "", Self.header + "0202,Riverside,8A,Grade 8,,,Lee,8\r\n")
            #expect(broken.status == .badRequest, "\(broken.text)")
            #expect((broken.object["diagnostics"] as? [[String: Any]] ?? []).contains { $0["file"] as? String == "upload.csv" })
        }
    }

    @Test func otherRolesAre403AndTooLargeOrUntypedBodiesAreRefused() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            for account in ["off2", "coord", "aud"] {
                let refused = try await Self.upload(client, district, as: account, "", Self.newStudent)
                #expect(refused.status == .forbidden, "\(account): \(refused.text)")
            }
            let untyped = try await Self.upload(client, district, as: "dist", "", Self.newStudent, type: "application/json")
            #expect(untyped.status == .unsupportedMediaType)
            let big = Self.header + String(repeating: "0202,Riverside Middle School,8A,Grade 8 Health A,1001,Amara,Okafor,8\r\n", count: 1_000_000)
            let tooLarge = try await Self.upload(client, district, as: "dist", "", big)
            #expect(tooLarge.status == .contentTooLarge, "\(tooLarge.status)")
            #expect(tooLarge.headers[.contentType] == "application/problem+json")
            let (cookie, _, _) = try await SignInTests.signIn(client, "sadm")
            let forged = try await client.execute(
                uri: "/api/v1/rosters", method: .post, headers: [.cookie: cookie, .contentType: "text/csv"], body: ByteBuffer(string: Self.newStudent))
            #expect(forged.status == .forbidden)
            #expect(try await Self.students(client, district, "8A").count == 4)
        }
    }
}
