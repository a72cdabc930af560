import BridgesKit
import Foundation
import Testing

/// `bridges user …` and `bridges token …` as an administrator types them (server.md, "Accounts
/// and roles"), on the set-up term of `CLITerm` (school 0202, officers ofc-101 and ofc-102).
@Suite("user and token commands", .timeLimit(.minutes(3)))
struct UserTokenCommandTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        try BridgesProcess.run(arguments + ["--db", "term.sqlite"], in: folder, sourceLocation: sourceLocation)
    }

    /// `bridges user add …` with `password` (no single quote in it) as the first line of standard input.
    func addUser(_ arguments: [String], password: String, in folder: TemporaryFolder) throws -> BridgesProcess.Outcome {
        try RunningBridges.start(
            ["user", "add"] + arguments + ["--db", "term.sqlite"], in: folder,
            through: ["sh", "-c", "printf '%s\\n' '\(password)' | \"$0\" \"$@\""]
        ).finish(limit: BridgesProcess.hangGuard)
    }

    @Test func aUserAddedWithoutAPasswordGetsAOneTimeOneThatSignsIn() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        // Standard input is empty: a password is generated and printed once
        let add = try bridges("user", "add", "admin", "--role", "district-admin", in: folder)
        #expect(add.status == 0, "\(add)")
        #expect(add.standardOutput.hasPrefix("added user admin (district-admin)\n"), "\(add)")
        let password = try #require(add.standardOutput.split(separator: "\n").first { $0.hasPrefix("one-time password: ") }?.dropFirst("one-time password: ".count))
        #expect(password.count == 16)
        #expect(add.standardError.contains("shown only this once"))
        // It signs in (through Kit, on the same file)
        let records = try await Registrar(testDatabase(folder.path("term.sqlite")))
        guard case .signedIn(let signedIn) = try await records.signIn(username: "admin", password: String(password)) else {
            Issue.record("the printed password does not sign in")
            return
        }
        #expect(signedIn.caller.role == .districtAdmin)
        // Only a bcrypt hash is stored: the password is nowhere in the file
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path("term.sqlite")))
        #expect(bytes.range(of: Data(password.utf8)) == nil)
    }

    @Test func aPasswordFromStandardInputIsTheOneKept() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let add = try addUser(["dana", "--role", "officer", "--school", "0202", "--officer", "ofc-101"], password: "correct horse battery", in: folder)
        #expect(add.status == 0, "\(add)")
        #expect(add.standardOutput == "added user dana (officer, schools 0202, officer ofc-101)\n", "\(add)")
        let records = try await Registrar(testDatabase(folder.path("term.sqlite")))
        guard case .signedIn(let signedIn) = try await records.signIn(username: "dana", password: "correct horse battery") else {
            Issue.record("the password from standard input does not sign in")
            return
        }
        #expect(signedIn.caller.officerID == "ofc-101")
        #expect(signedIn.caller.schools == ["0202"])
        // A short one is refused, nothing is added
        let short = try addUser(["sam", "--role", "auditor"], password: "short", in: folder)
        #expect(short.status == 64, "\(short)")
        #expect(short.standardError.contains("shorter than 10 characters"))
        let list = try bridges("user", "list", in: folder)
        #expect(!list.standardOutput.contains("sam"))
    }

    @Test func wrongRoleDetailsAreRefusedWithWhatToDo() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        let noOfficer = try bridges("user", "add", "x", "--role", "officer", "--school", "0202", in: folder)
        #expect(noOfficer.status == 64)
        #expect(noOfficer.standardError.contains("give --officer ID"), "\(noOfficer)")
        let unknownOfficer = try bridges("user", "add", "x", "--role", "officer", "--school", "0202", "--officer", "ofc-999", in: folder)
        #expect(unknownOfficer.status == 66, "\(unknownOfficer)")
        let unknownSchool = try bridges("user", "add", "x", "--role", "school-admin", "--school", "9999", in: folder)
        #expect(unknownSchool.status == 66, "\(unknownSchool)")
        #expect(unknownSchool.standardError.contains("no school '9999'"))
        let districtWithSchool = try bridges("user", "add", "x", "--role", "district-admin", "--school", "0202", in: folder)
        #expect(districtWithSchool.status == 64)
        let badRole = try bridges("user", "add", "x", "--role", "janitor", in: folder)
        #expect(badRole.status == 64)
        let first = try bridges("user", "add", "x", "--role", "auditor", in: folder)
        #expect(first.status == 0, "\(first)")
        let twice = try bridges("user", "add", "x", "--role", "auditor", in: folder)
        #expect(twice.status == 65, "\(twice)")
        #expect(twice.standardError.contains("already a user named 'x'"))
    }

    @Test func listShowsRolesSchoolsAndDisabledAccounts() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        #expect(try bridges("user", "add", "admin", "--role", "district-admin", in: folder).status == 0)
        #expect(try bridges("user", "add", "pat", "--role", "school-admin", "--school", "0202", in: folder).status == 0)
        let disable = try bridges("user", "disable", "pat", "--actor", "it.desk", in: folder)
        #expect(disable.status == 0, "\(disable)")
        #expect(disable.standardOutput == "disabled user pat\n")
        let again = try bridges("user", "disable", "pat", in: folder)
        #expect(again.standardOutput == "user pat was already disabled\n")
        let missing = try bridges("user", "disable", "nobody", in: folder)
        #expect(missing.status == 66)
        let list = try bridges("user", "list", in: folder)
        let rows = CLITerm.table(list.standardOutput)
        #expect(rows.contains(["admin", "district-admin", "(all)", "-", "active"]), "\(list)")
        #expect(rows.contains(["pat", "school-admin", "0202", "-", "disabled"]), "\(list)")
    }

    @Test func aTokenIsPrintedOnceKeptAsAHashAndRevoked() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        #expect(try bridges("user", "add", "script", "--role", "auditor", in: folder).status == 0)
        let create = try bridges("token", "create", "script", "--expires", "2099-12-31", in: folder)
        #expect(create.status == 0, "\(create)")
        let secret = create.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("bridges_") && secret.count == 72, "\(create)")
        #expect(create.standardError.contains("token 1 for script, until 2099-12-31"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path("term.sqlite")))
        #expect(bytes.range(of: Data(secret.utf8)) == nil, "the token's secret is in the database")
        let records = try await Registrar(testDatabase(folder.path("term.sqlite")))
        await #expect(try records.apiTokenCaller(secret: secret)?.name == "script")
        let list = try bridges("token", "list", in: folder)
        #expect(CLITerm.table(list.standardOutput).contains { $0.first == "1" && $0.contains("script") && $0.last == "active" }, "\(list)")
        #expect(!list.standardOutput.contains(secret))
        let revoke = try bridges("token", "revoke", "1", in: folder)
        #expect(revoke.status == 0)
        #expect(revoke.standardOutput == "revoked token 1\n")
        await #expect(try records.apiTokenCaller(secret: secret) == nil)
        // A token for no such user, or one that expired already, is refused
        #expect(try bridges("token", "create", "nobody", in: folder).status == 66)
        #expect(try bridges("token", "create", "script", "--expires", "2001-01-01", in: folder).status == 64)
        #expect(try bridges("token", "revoke", "99", in: folder).status == 66)
    }
}
