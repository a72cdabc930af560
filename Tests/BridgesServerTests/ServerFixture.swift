import BridgesKit
import BridgesSQLite
import BridgesServer
import BridgesTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A district to serve in tests: the first-aid program, school 0202 (classes 8A of four students
/// and 8B of two) and school 0303 (class 9H of one), officers ofc-101 and ofc-102, and one account
/// of each role, each with an API token:
///
/// | account | role | schools | officer |
/// |---|---|---|---|
/// | dist | district-admin | all | |
/// | off2 | officer | 0202 | ofc-101 |
/// | off3 | officer | 0303 | ofc-102 |
/// | sadm | school-admin | 0202 | |
/// | coord | coordinator | | |
/// | aud | auditor | | |
///
/// Every password is `password-` followed by the account's name. Call `remove()` in a `defer`.
final class ServerFixture: Sendable {
    /// The clock the server under test reads for its own rules: it stands still, so no test
    /// depends on how fast the machine runs it.
    static let frozenTime = Date(timeIntervalSince1970: 1_800_000_000)
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let roster = """
        school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade\r
        0202,Riverside Middle School,8A,Grade 8 Health A,1001,Amara,Okafor,8\r
        0202,Riverside Middle School,8A,Grade 8 Health A,1002,Li,Wei,8\r
        0202,Riverside Middle School,8A,Grade 8 Health A,1003,José,García,8\r
        0202,Riverside Middle School,8A,Grade 8 Health A,1004,Sam,Lee,8\r
        0202,Riverside Middle School,8B,Grade 8 Health B,2001,Sam,Lee,8\r
        0202,Riverside Middle School,8B,Grade 8 Health B,2002,Noah,Smith,8\r
        0303,Lakeview High School,9H,Grade 9 Health,3001,Mei,Chen,9\r

        """

    static let accounts: [(name: String, role: Role, schools: [String], officer: String?)] = [
        ("dist", .districtAdmin, [], nil),
        ("off2", .officer, ["0202"], "ofc-101"),
        ("off3", .officer, ["0303"], "ofc-102"),
        ("sadm", .schoolAdmin, ["0202"], nil),
        ("coord", .coordinator, [], nil),
        ("aud", .auditor, [], nil),
    ]

    static func password(_ name: String) -> String { "password-\(name)" }

    /// The set-up database and each account's token, made once; each test starts from a copy.
    private static let template = OnceBuilt<Template> {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("BridgesServerTests-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("district.sqlite").path
        // Set up in a function of its own: the database closes (its WAL folded into the file)
        // when that function's `Registrar` goes, before the file is read.
        let tokens = try await setUp(path: path, in: folder)
        return Template(bytes: try Data(contentsOf: URL(fileURLWithPath: path)), tokens: tokens)
    }

    private static func setUp(path: String, in folder: URL) async throws -> [String: String] {
        let records = try await Registrar(location(path))
        _ = try await records.loadLessonPlans(
            paths: [repositoryRoot.appendingPathComponent("Tests/Fixtures/FirstEditionCurricula/first-aid").path],
            caller: .local("coordinator"), processors: 2)
        let rosterFile = folder.appendingPathComponent("roster.csv")
        try Data(roster.utf8).write(to: rosterFile)
        _ = try await records.importRoster(path: rosterFile.path, caller: .local("registrar"))
        _ = try await records.saveOfficer(id: "ofc-101", name: "Dana Reyes", certifiedUntil: "2030-06-30", caller: .local("coordinator"))
        _ = try await records.saveOfficer(id: "ofc-102", name: "Marcus Johnson", certifiedUntil: "2030-06-30", caller: .local("coordinator"))
        var tokens: [String: String] = [:]
        for account in accounts {
            // bcrypt's lowest cost: the tests check the rules, not the hash's slowness.
            _ = try await records.addAccount(
                name: account.name, role: account.role, schools: account.schools, officerID: account.officer,
                password: password(account.name), caller: .local("admin"), cost: 4)
            tokens[account.name] = try await records.createAPIToken(account: account.name, expires: nil, caller: .local("admin")).secret
        }
        return tokens
    }

    static func location(_ path: String, clock: WallClock = WallClock(timeZone: .current) { Date() }) -> DatabaseLocation {
        DatabaseLocation(
            SQLiteLocation(path: path, temporaryFolder: FileManager.default.temporaryDirectory.path),
            temporaryFolder: FileManager.default.temporaryDirectory.path, clock: clock)
    }

    let folder: URL
    let records: Registrar
    /// The clock `records` reads: the system's until a test sets another time.
    let clock = TestClock()
    let tokens: [String: String]
    let logLines = Mutex<[String]>([])

    init() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("BridgesServerTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        self.folder = folder
        do {
            let template = try await Self.template.value()
            let path = folder.appendingPathComponent("district.sqlite").path
            try template.bytes.write(to: URL(fileURLWithPath: path))
            _ = chmod(path, 0o600)
            records = try await Registrar(Self.location(path, clock: clock.wallClock))
            tokens = template.tokens
        } catch {
            // A set-up that fails leaves no fixture whose `remove()` a test could call: the
            // folder goes here.
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// The server over this district, its log lines kept in `logLines`.
    func server(publicURL: String? = nil) -> BridgesServer {
        BridgesServer(records: records, settings: ServerSettings(port: 0, publicURL: publicURL, clock: { ServerFixture.frozenTime }), log: { [self] line in self.logLines.withLock { $0.append(line) } })
    }

    /// Runs `body` against the server through HummingbirdTesting's router client.
    func test(publicURL: String? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await server(publicURL: publicURL).application().test(.router, body)
    }

    func bearer(_ name: String) -> HTTPFields { [.authorization: "Bearer \(tokens[name]!)"] }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }
    /// The body as JSON.
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
}

/// A JSON body.
func jsonBody(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
}

extension HTTPField.Name {
    static let csrf = HTTPField.Name("X-CSRF-Token")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}


/// The set-up district database's bytes and its API tokens.
struct Template: Sendable {
    var bytes: Data
    var tokens: [String: String]
}
