import BridgesKit
import BridgesSQLite
import BridgesStore
import Foundation
import Testing

/// Every change to an account is in the audit trail with who made it, chained like every other
/// event, and no secret is ever written there (server.md: "Every write is recorded").
@Suite("account audit trail", .timeLimit(.minutes(3)))
struct AccountAuditTests {
    @Test func accountChangesAreAuditedWithoutSecretsAndTheChainHolds() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        let records = district.records
        let added = try await records.addAccount(name: "lee", role: .auditor, schools: [], officerID: nil, password: nil, caller: .local("it.desk"), cost: 4)
        let password = try #require(added.generatedPassword)
        _ = try await records.signIn(username: "lee", password: "wrong-password")
        guard case .signedIn(let signedIn) = try await records.signIn(username: "lee", password: password) else {
            Issue.record("the generated password does not sign in")
            return
        }
        await #expect(try records.signOut(secret: signedIn.secret, caller: signedIn.caller))
        let token = try await records.createAPIToken(account: "lee", expires: nil, caller: .local("it.desk"))
        _ = try await records.revokeAPIToken(id: token.id, caller: .local("it.desk"))
        _ = try await records.disableAccount(name: "lee", caller: .local("it.desk"))

        let path = district.folder.appendingPathComponent("district.sqlite").path
        let store = try SQLiteStore(path: path, access: .read)
        let trail = try store.auditTrail(entity: "account", id: "lee")
        #expect(trail.map(\.action) == ["add", "sign-in refused", "sign in", "sign out", "create token", "revoke token", "disable"])
        #expect(trail.map(\.actor) == ["it.desk", "lee", "lee", "lee", "it.desk", "it.desk", "it.desk"])
        let everything = trail.map { "\($0)" }.joined()
        for secret in [password, signedIn.secret, signedIn.csrfToken, token.secret] {
            #expect(!everything.contains(secret))
        }
        try store.close()
        let inspection = try SQLiteLocation(path: path, temporaryFolder: FileManager.default.temporaryDirectory.path).inspect()
        await #expect(try inspection.auditChain().firstProblem == nil)
        await #expect(try inspection.auditTrailProblems(now: "2100-01-01T00:00:00Z").isEmpty)
    }

    @Test func onlyAnAccountManagerMayManageAccounts() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        for role in Role.allCases where role != .districtAdmin {
            let caller = Caller(name: "x", role: role, schools: ["0202"], officerID: "ofc-101")
            await #expect(throws: BridgesError.self) { try await district.records.accounts(caller: caller) }
            await #expect(throws: BridgesError.self) {
                try await district.records.addAccount(name: "y", role: .auditor, schools: [], officerID: nil, password: "long enough password", caller: caller, cost: 4)
            }
            await #expect(throws: BridgesError.self) { try await district.records.createAPIToken(account: "aud", expires: nil, caller: caller) }
            await #expect(throws: BridgesError.self) { try await district.records.disableAccount(name: "aud", caller: caller) }
        }
        await #expect(try district.records.accounts(caller: .local("it")).count == ServerFixture.accounts.count)
    }
}
