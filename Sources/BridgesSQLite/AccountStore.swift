import BridgesCore
import BridgesStore
import Foundation
import GRDB

/// The accounts of `bridges serve`, their API tokens, browsers' sign-ins and the idempotency keys
/// of sessions logged through the API. Each change is one transaction with its audit event; no
/// secret (password, token, cookie) is ever written to the trail, only what happened to whom.
extension SQLiteStore {
    package func addAccount(_ account: StoredAccount, context: WriteContext) throws(StoreError) -> Bool {
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE name = ?", arguments: [account.name]) != nil { return false }
            try db.execute(
                sql: "INSERT INTO account (name, role, officerId, passwordHash, disabled, failedAttempts, lockedUntil, createdAt) VALUES (?, ?, ?, ?, 0, 0, NULL, ?)",
                arguments: [account.name, account.role, account.officerID, account.passwordHash, account.createdAt])
            for school in account.schools {
                try db.execute(sql: "INSERT INTO accountSchool (account, schoolId) VALUES (?, ?)", arguments: [account.name, school])
            }
            var detail = "role \(account.role)"
            if !account.schools.isEmpty { detail += "; schools \(account.schools.joined(separator: ", "))" }
            if let officer = account.officerID { detail += "; officer \(officer)" }
            try Self.record(AuditEvent(at: context.at, actor: context.actor, action: "add", entity: "account", entityId: account.name, detail: detail), in: db)
            return true
        }
    }

    package func account(name: String) throws(StoreError) -> StoredAccount? {
        try read { db in try Self.account(name: name, in: db) }
    }

    package func accounts() throws(StoreError) -> [StoredAccount] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT name FROM account ORDER BY name").compactMap { try Self.account(name: $0, in: db) }
        }
    }

    static func account(name: String, in db: Database) throws -> StoredAccount? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT name, role, officerId, passwordHash, disabled, failedAttempts, lockedUntil, createdAt FROM account WHERE name = ?
            """, arguments: [name]) else { return nil }
        let schools = try String.fetchAll(db, sql: "SELECT schoolId FROM accountSchool WHERE account = ? ORDER BY schoolId", arguments: [name])
        return StoredAccount(
            name: row[0], role: row[1], schools: schools, officerID: row[2], passwordHash: row[3], disabled: row[4],
            failedAttempts: row[5], lockedUntil: row[6], createdAt: row[7])
    }

    package func disableAccount(name: String, context: WriteContext) throws(StoreError) -> Bool? {
        try write { db -> Bool? in
            guard let account = try Self.account(name: name, in: db) else { return nil }
            guard !account.disabled else { return false }
            try db.execute(sql: "UPDATE account SET disabled = 1 WHERE name = ?", arguments: [name])
            // A disabled account keeps no way in: its browsers are signed out, its tokens revoked.
            try db.execute(sql: "DELETE FROM signIn WHERE account = ?", arguments: [name])
            try db.execute(sql: "UPDATE apiToken SET revokedAt = ? WHERE account = ? AND revokedAt IS NULL", arguments: [context.at, name])
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "disable", entity: "account", entityId: name,
                field: "disabled", oldValue: "no", newValue: "yes"), in: db)
            return true
        }
    }

    package func recordFailedSignIn(name: String, limit: Int, lockUntil: String, context: WriteContext) throws(StoreError) -> FailedSignIn? {
        try write { db -> FailedSignIn? in
            guard let account = try Self.account(name: name, in: db) else { return nil }
            let count = account.failedAttempts + 1
            if count >= limit {
                try db.execute(sql: "UPDATE account SET failedAttempts = 0, lockedUntil = ? WHERE name = ?", arguments: [lockUntil, name])
                try Self.record(AuditEvent(
                    at: context.at, actor: context.actor, action: "lock", entity: "account", entityId: name,
                    field: "lockedUntil", oldValue: account.lockedUntil, newValue: lockUntil,
                    reason: "\(count) wrong passwords in a row"), in: db)
                return FailedSignIn(failedAttempts: 0, lockedUntil: lockUntil)
            }
            try db.execute(sql: "UPDATE account SET failedAttempts = ? WHERE name = ?", arguments: [count, name])
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "sign-in refused", entity: "account", entityId: name,
                field: "failedAttempts", oldValue: String(account.failedAttempts), newValue: String(count)), in: db)
            return FailedSignIn(failedAttempts: count, lockedUntil: nil)
        }
    }

    package func recordSignIn(name: String, secretHash: String, signIn: StoredSignIn, context: WriteContext) throws(StoreError) {
        try write { db in
            // Expired sign-ins of anyone go as a new one comes: the table holds live ones only.
            try db.execute(sql: "DELETE FROM signIn WHERE expiresAt <= ?", arguments: [context.at])
            try db.execute(sql: "UPDATE account SET failedAttempts = 0, lockedUntil = NULL WHERE name = ?", arguments: [name])
            try db.execute(
                sql: "INSERT INTO signIn (secretHash, account, csrfToken, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [secretHash, name, signIn.csrfToken, context.at, signIn.expiresAt])
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "sign in", entity: "account", entityId: name,
                detail: "until \(signIn.expiresAt)"), in: db)
        }
    }

    package func signIn(secretHash: String, now: String) throws(StoreError) -> (StoredSignIn, StoredAccount)? {
        try read { db -> (StoredSignIn, StoredAccount)? in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT account, csrfToken, expiresAt FROM signIn WHERE secretHash = ? AND expiresAt > ?
                """, arguments: [secretHash, now]),
                let account = try Self.account(name: row[0], in: db), !account.disabled
            else { return nil }
            return (StoredSignIn(account: row[0], csrfToken: row[1], expiresAt: row[2]), account)
        }
    }

    package func endSignIn(secretHash: String, context: WriteContext) throws(StoreError) -> Bool {
        try write { db in
            guard let account = try String.fetchOne(db, sql: "SELECT account FROM signIn WHERE secretHash = ?", arguments: [secretHash]) else {
                return false
            }
            try db.execute(sql: "DELETE FROM signIn WHERE secretHash = ?", arguments: [secretHash])
            try Self.record(AuditEvent(at: context.at, actor: context.actor, action: "sign out", entity: "account", entityId: account), in: db)
            return true
        }
    }

    package func createAPIToken(account: String, secretHash: String, expires: String?, context: WriteContext) throws(StoreError) -> Int64 {
        try write { db in
            try db.execute(
                sql: "INSERT INTO apiToken (account, secretHash, createdAt, expires, revokedAt) VALUES (?, ?, ?, ?, NULL)",
                arguments: [account, secretHash, context.at, expires])
            let id = db.lastInsertedRowID
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "create token", entity: "account", entityId: account,
                detail: "token \(id)" + (expires.map { ", until \($0)" } ?? ", no expiry")), in: db)
            return id
        }
    }

    package func apiTokenAccount(secretHash: String, today: String) throws(StoreError) -> (APITokenInfo, StoredAccount)? {
        try read { db -> (APITokenInfo, StoredAccount)? in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, account, createdAt, expires, revokedAt FROM apiToken
                WHERE secretHash = ? AND revokedAt IS NULL AND (expires IS NULL OR expires >= ?)
                """, arguments: [secretHash, today]),
                let account = try Self.account(name: row[1], in: db), !account.disabled
            else { return nil }
            return (APITokenInfo(id: row[0], account: row[1], createdAt: row[2], expires: row[3], revokedAt: row[4]), account)
        }
    }

    package func apiTokens(account: String?) throws(StoreError) -> [APITokenInfo] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, account, createdAt, expires, revokedAt FROM apiToken WHERE ?1 IS NULL OR account = ?1 ORDER BY id
                """, arguments: [account]).map { row in
                APITokenInfo(id: row[0], account: row[1], createdAt: row[2], expires: row[3], revokedAt: row[4])
            }
        }
    }

    package func revokeAPIToken(id: Int64, context: WriteContext) throws(StoreError) -> Bool? {
        try write { db -> Bool? in
            guard let row = try Row.fetchOne(db, sql: "SELECT account, revokedAt FROM apiToken WHERE id = ?", arguments: [id]) else { return nil }
            guard (row[1] as String?) == nil else { return false }
            try db.execute(sql: "UPDATE apiToken SET revokedAt = ? WHERE id = ?", arguments: [context.at, id])
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "revoke token", entity: "account", entityId: row[0], detail: "token \(id)"), in: db)
            return true
        }
    }

    package func logSession(_ request: SessionRequest, idempotencyKey key: String, bodyHash: String, context: WriteContext) throws(StoreError)
        -> Result<Result<LoggedSession, SessionRefusal>, IdempotentSession>
    {
        try write { db -> Result<Result<LoggedSession, SessionRefusal>, IdempotentSession> in
            if let row = try Row.fetchOne(db, sql: "SELECT bodyHash, sessionId FROM idempotencyKey WHERE caller = ? AND key = ?", arguments: [context.actor, key]) {
                return .failure(IdempotentSession(key: key, caller: context.actor, bodyHash: row[0], sessionID: row[1]))
            }
            let outcome = try Self.logSession(request, context: context, in: db)
            if case .success(let logged) = outcome {
                try db.execute(
                    sql: "INSERT INTO idempotencyKey (caller, key, bodyHash, sessionId, createdAt) VALUES (?, ?, ?, ?, ?)",
                    arguments: [context.actor, key, bodyHash, logged.id, context.at])
            }
            return .success(outcome)
        }
    }
}
