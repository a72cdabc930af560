import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/v1/lesson-plans` (server.md): one XML file or a program's folder zipped, as
/// `lesson load`, for coordinators and district admins.
@Suite("server lesson-plan uploads", .timeLimit(.minutes(3)))
struct LessonPlanUploadTests {
    static let programFolder = ServerFixture.repositoryRoot.appendingPathComponent("Tests/Fixtures/FirstEditionCurricula/first-aid")

    static func upload(_ client: any TestClientProtocol, _ district: ServerFixture, as name: String, _ query: String, _ bytes: [UInt8], type: String) async throws -> TestResponse {
        var headers = district.bearer(name)
        headers[.contentType] = type
        return try await client.execute(uri: "/api/v1/lesson-plans\(query)", method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    /// The fixture's first-aid folder zipped with the system's `zip`, inside a folder `first-aid/`.
    static func zippedProgram(in folder: URL) throws -> [UInt8] {
        let archive = folder.appendingPathComponent("first-aid.zip")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zip")
        process.currentDirectoryURL = programFolder.deletingLastPathComponent()
        process.arguments = ["-q", "-r", archive.path, "first-aid"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return Array(try Data(contentsOf: archive))
    }

    @Test func aCoordinatorLoadsOneLessonAndAZippedProgram() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let lesson = Array(try Data(contentsOf: Self.programFolder.appendingPathComponent("fa-burns.xml")))
            let one = try await Self.upload(client, district, as: "coord", "?filename=fa-burns.xml", lesson, type: "application/xml")
            #expect(one.status == .created, "\(one.text)")
            #expect(one.object["unchanged"] as? Int == 1)
            let zip = try Self.zippedProgram(in: district.folder)
            let program = try await Self.upload(client, district, as: "dist", "?filename=first-aid.zip", zip, type: "application/zip")
            #expect(program.status == .created, "\(program.text)")
            #expect((program.object["unchanged"] as? Int ?? 0) >= 7, "\(program.text)")
        }
    }

    @Test func aBrokenLessonIsA400NamingTheClientsFileAndNothingIsLoaded() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let before = try await client.execute(uri: "/api/v1/lessons", method: .get, headers: district.bearer("coord")).array.count
            var text = try String(contentsOf: Self.programFolder.appendingPathComponent("fa-burns.xml"), encoding: .utf8)
            text = text.replacingOccurrences(of: "id=\"fa-burns\"", with: "id=\"fa-burns-2\"").replacingOccurrences(of: "</title>", with: "</title><bogus/>")
            let broken = try await Self.upload(client, district, as: "coord", "?filename=burns%20draft.xml", Array(text.utf8), type: "application/xml")
            #expect(broken.status == .badRequest, "\(broken.text)")
            let diagnostics = broken.object["diagnostics"] as? [[String: Any]] ?? []
            #expect(!diagnostics.isEmpty)
            #expect(diagnostics.allSatisfy { $0["file"] as? String == "burns draft.xml" }, "\(diagnostics)")
            #expect(!broken.text.contains("bridges-upload"))
            let noProgram = try await Self.upload(client, district, as: "coord", "", Array("PK\u{5}\u{6}".utf8) + [UInt8](repeating: 0, count: 18), type: "application/zip")
            #expect(noProgram.status == .badRequest, "\(noProgram.text)")
            #expect((noProgram.object["diagnostics"] as? [[String: Any]])?.first?["file"] as? String == "upload.zip")
            let after = try await client.execute(uri: "/api/v1/lessons", method: .get, headers: district.bearer("coord")).array.count
            #expect(after == before)
        }
    }

    @Test func otherRolesAre403() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let lesson = Array(try Data(contentsOf: Self.programFolder.appendingPathComponent("fa-burns.xml")))
            for account in ["off2", "off3", "sadm", "aud"] {
                let refused = try await Self.upload(client, district, as: account, "", lesson, type: "application/xml")
                #expect(refused.status == .forbidden, "\(account): \(refused.text)")
            }
            let (cookie, _, _) = try await SignInTests.signIn(client, "coord")
            let forged = try await client.execute(
                uri: "/api/v1/lesson-plans", method: .post, headers: [.cookie: cookie, .contentType: "application/xml"], body: ByteBuffer(bytes: lesson))
            #expect(forged.status == .forbidden)
        }
    }
}
