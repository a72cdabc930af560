import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

/// The accounts of `bridges serve`, their API tokens and browsers' sign-ins, as SQLite's store
/// keeps them: each change one transaction with its audit event, no secret ever in the trail.
extension PostgresStore {
    package func addAccount(_ account: StoredAccount, context: WriteContext) async throws(StoreError) -> Bool {
        try await write { connection in
            if try await connection.value("SELECT 1::bigint FROM account WHERE name = \(account.name)", as: Int64.self) != nil { return false }
            try await connection.run("""
                INSERT INTO account (name, role, officerId, passwordHash, disabled, failedAttempts, lockedUntil, createdAt)
                VALUES (\(account.name), \(account.role), \(account.officerID), \(account.passwordHash), 0, 0, NULL, \(account.createdAt))
                """)
            for school in account.schools {
                try await connection.run("INSERT INTO accountSchool (account, schoolId) VALUES (\(account.name), \(school))")
            }
            var detail = "role \(account.role)"
            if !account.schools.isEmpty { detail += "; schools \(account.schools.joined(separator: ", "))" }
            if let officer = account.officerID { detail += "; officer \(officer)" }
            try await Self.record(
                AuditEvent(at: context.at, actor: context.actor, action: "add", entity: "account", entityId: account.name, detail: detail),
                on: connection)
            return true
        }
    }

    package func account(name: String) async throws(StoreError) -> StoredAccount? {
        try await read { connection in try await Self.account(name: name, on: connection) }
    }

    package func accounts() async throws(StoreError) -> [StoredAccount] {
        try await read { connection in
            var accounts: [StoredAccount] = []
            for name in try await connection.values("SELECT name FROM account ORDER BY name", as: String.self) {
                if let account = try await Self.account(name: name, on: connection) { accounts.append(account) }
            }
            return accounts
        }
    }

    static func account(name: String, on connection: PostgresConnection) async throws -> StoredAccount? {
        guard let row = try await connection.first("""
            SELECT name, role, officerId, passwordHash, disabled, failedAttempts, lockedUntil, createdAt FROM account WHERE name = \(name)
            """, as: (String, String, String?, String, Int64, Int64, String?, String).self) else { return nil }
        let schools = try await connection.values("SELECT schoolId FROM accountSchool WHERE account = \(name) ORDER BY schoolId", as: String.self)
        return StoredAccount(
            name: row.0, role: row.1, schools: schools, officerID: row.2, passwordHash: row.3, disabled: row.4 != 0,
            failedAttempts: Int(row.5), lockedUntil: row.6, createdAt: row.7)
    }

    package func disableAccount(name: String, context: WriteContext) async throws(StoreError) -> Bool? {
        try await write { connection -> Bool? in
            guard let account = try await Self.account(name: name, on: connection) else { return nil }
            guard !account.disabled else { return false }
            try await connection.run("UPDATE account SET disabled = 1 WHERE name = \(name)")
            // A disabled account keeps no way in: its browsers are signed out, its tokens revoked.
            try await connection.run("DELETE FROM signIn WHERE account = \(name)")
            try await connection.run("UPDATE apiToken SET revokedAt = \(context.at) WHERE account = \(name) AND revokedAt IS NULL")
            try await Self.record(
                AuditEvent(
                    at: context.at, actor: context.actor, action: "disable", entity: "account", entityId: name,
                    field: "disabled", oldValue: "no", newValue: "yes"),
                on: connection)
            return true
        }
    }

    package func recordFailedSignIn(name: String, limit: Int, lockUntil: String, context: WriteContext) async throws(StoreError) -> FailedSignIn? {
        try await write { connection -> FailedSignIn? in
            guard let account = try await Self.account(name: name, on: connection) else { return nil }
            let count = account.failedAttempts + 1
            if count >= limit {
                try await connection.run("UPDATE account SET failedAttempts = 0, lockedUntil = \(lockUntil) WHERE name = \(name)")
                try await Self.record(
                    AuditEvent(
                        at: context.at, actor: context.actor, action: "lock", entity: "account", entityId: name,
                        field: "lockedUntil", oldValue: account.lockedUntil, newValue: lockUntil,
                        reason: "\(count) wrong passwords in a row"),
                    on: connection)
                return FailedSignIn(failedAttempts: 0, lockedUntil: lockUntil)
            }
            try await connection.run("UPDATE account SET failedAttempts = \(Int64(count)) WHERE name = \(name)")
            try await Self.record(
                AuditEvent(
                    at: context.at, actor: context.actor, action: "sign-in refused", entity: "account", entityId: name,
                    field: "failedAttempts", oldValue: String(account.failedAttempts), newValue: String(count)),
                on: connection)
            return FailedSignIn(failedAttempts: count, lockedUntil: nil)
        }
    }

    package func recordSignIn(name: String, secretHash: String, signIn: StoredSignIn, context: WriteContext) async throws(StoreError) {
        try await write { connection in
            // Expired sign-ins of anyone go as a new one comes: the table holds live ones only.
            try await connection.run("DELETE FROM signIn WHERE expiresAt <= \(context.at)")
            try await connection.run("UPDATE account SET failedAttempts = 0, lockedUntil = NULL WHERE name = \(name)")
            try await connection.run("""
                INSERT INTO signIn (secretHash, account, csrfToken, createdAt, expiresAt)
                VALUES (\(secretHash), \(name), \(signIn.csrfToken), \(context.at), \(signIn.expiresAt))
                """)
            try await Self.record(
                AuditEvent(
                    at: context.at, actor: context.actor, action: "sign in", entity: "account", entityId: name,
                    detail: "until \(signIn.expiresAt)"),
                on: connection)
        }
    }

    package func signIn(secretHash: String, now: String) async throws(StoreError) -> (StoredSignIn, StoredAccount)? {
        try await read { connection -> (StoredSignIn, StoredAccount)? in
            guard let (name, csrf, expires) = try await connection.first("""
                SELECT account, csrfToken, expiresAt FROM signIn WHERE secretHash = \(secretHash) AND expiresAt > \(now)
                """, as: (String, String, String).self),
                let account = try await Self.account(name: name, on: connection), !account.disabled
            else { return nil }
            return (StoredSignIn(account: name, csrfToken: csrf, expiresAt: expires), account)
        }
    }

    package func endSignIn(secretHash: String, context: WriteContext) async throws(StoreError) -> Bool {
        try await write { connection in
            guard let account = try await connection.value("SELECT account FROM signIn WHERE secretHash = \(secretHash)", as: String.self) else {
                return false
            }
            try await connection.run("DELETE FROM signIn WHERE secretHash = \(secretHash)")
            try await Self.record(
                AuditEvent(at: context.at, actor: context.actor, action: "sign out", entity: "account", entityId: account), on: connection)
            return true
        }
    }

    package func createAPIToken(account: String, secretHash: String, expires: String?, context: WriteContext) async throws(StoreError) -> Int64 {
        try await write { connection in
            guard let id = try await connection.value("""
                INSERT INTO apiToken (account, secretHash, createdAt, expires, revokedAt)
                VALUES (\(account), \(secretHash), \(context.at), \(expires), NULL) RETURNING id
                """, as: Int64.self) else { throw StoreError.rejected("the new API token was given no number") }
            try await Self.record(
                AuditEvent(
                    at: context.at, actor: context.actor, action: "create token", entity: "account", entityId: account,
                    detail: "token \(id)" + (expires.map { ", until \($0)" } ?? ", no expiry")),
                on: connection)
            return id
        }
    }

    package func apiTokenAccount(secretHash: String, today: String) async throws(StoreError) -> (APITokenInfo, StoredAccount)? {
        try await read { connection -> (APITokenInfo, StoredAccount)? in
            guard let row = try await connection.first("""
                SELECT id, account, createdAt, expires, revokedAt FROM apiToken
                WHERE secretHash = \(secretHash) AND revokedAt IS NULL AND (expires IS NULL OR expires >= \(today))
                """, as: (Int64, String, String, String?, String?).self),
                let account = try await Self.account(name: row.1, on: connection), !account.disabled
            else { return nil }
            return (APITokenInfo(id: row.0, account: row.1, createdAt: row.2, expires: row.3, revokedAt: row.4), account)
        }
    }

    package func apiTokens(account: String?) async throws(StoreError) -> [APITokenInfo] {
        try await read { connection in
            var tokens: [APITokenInfo] = []
            for try await (id, owner, createdAt, expires, revokedAt) in try await connection.rows("""
                SELECT id, account, createdAt, expires, revokedAt FROM apiToken
                WHERE \(account)::text IS NULL OR account = \(account) ORDER BY id
                """).decode((Int64, String, String, String?, String?).self) {
                tokens.append(APITokenInfo(id: id, account: owner, createdAt: createdAt, expires: expires, revokedAt: revokedAt))
            }
            return tokens
        }
    }

    package func revokeAPIToken(id: Int64, context: WriteContext) async throws(StoreError) -> Bool? {
        try await write { connection -> Bool? in
            guard let (account, revokedAt) = try await connection.first(
                "SELECT account, revokedAt FROM apiToken WHERE id = \(id)", as: (String, String?).self) else { return nil }
            guard revokedAt == nil else { return false }
            try await connection.run("UPDATE apiToken SET revokedAt = \(context.at) WHERE id = \(id)")
            try await Self.record(
                AuditEvent(
                    at: context.at, actor: context.actor, action: "revoke token", entity: "account", entityId: account, detail: "token \(id)"),
                on: connection)
            return true
        }
    }


}
