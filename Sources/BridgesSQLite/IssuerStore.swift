import BridgesCore
import BridgesStore
import Foundation
import GRDB

extension SQLiteStore {
    package func issuer() throws(StoreError) -> StoredIssuer? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT name, url, keyId, publicJwk, keyPath, createdAt, createdBy FROM issuer WHERE id = 1").map {
                StoredIssuer(name: $0[0], url: $0[1], keyID: $0[2], publicJWK: $0[3], keyPath: $0[4], createdAt: $0[5], createdBy: $0[6])
            }
        }
    }

    /// Stores the issuer, audited; returns false (nothing written) when one is already stored.
    package func createIssuer(name: String, url: String, keyID: String, publicJWK: String, keyPath: String, context: WriteContext) throws(StoreError) -> Bool {
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM issuer WHERE id = 1") == true { return false }
            try db.execute(sql: """
                INSERT INTO issuer (id, name, url, keyId, publicJwk, keyPath, createdAt, createdBy) VALUES (1, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [name, url, keyID, publicJWK, keyPath, context.at, context.actor])
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "create", entity: "issuer", entityId: keyID,
                detail: "\(name) <\(url)>, private key written to \(keyPath)"), in: db)
            return true
        }
    }
}

extension SQLiteStore {
    /// The certificate's recipient salt and status-list index, stored with it: `fresh` and the
    /// next free index are kept the first time they are asked for, the stored ones returned
    /// after. nil when there is no such certificate.
    package func badgeEntry(code: String, fresh: String) throws(StoreError) -> (salt: String, statusIndex: Int)? {
        try write { db in
            try db.execute(sql: "UPDATE certificate SET recipientSalt = ? WHERE code = ? AND recipientSalt IS NULL", arguments: [fresh, code])
            try db.execute(sql: """
                UPDATE certificate SET statusIndex = (SELECT coalesce(max(statusIndex) + 1, 0) FROM certificate) WHERE code = ? AND statusIndex IS NULL
                """, arguments: [code])
            guard let row = try Row.fetchOne(db, sql: "SELECT recipientSalt, statusIndex FROM certificate WHERE code = ?", arguments: [code]) else { return nil }
            return (row[0], row[1])
        }
    }

    /// Gives every certificate of a program and/or school that has none a salt and a status
    /// index, in one transaction; returns each one's (unrevoked ones only).
    package func assignBadgeEntries(programID: String?, schoolID: String?, fresh: () -> String) throws(StoreError) -> [String: (salt: String, statusIndex: Int)] {
        try write { db in
            let filter = "revokedOn IS NULL AND (?1 IS NULL OR programId = ?1) AND (?2 IS NULL OR schoolId = ?2)"
            let missing = try String.fetchAll(db, sql: "SELECT code FROM certificate WHERE \(filter) AND (recipientSalt IS NULL OR statusIndex IS NULL) ORDER BY issuedOn, code",
                                              arguments: [programID, schoolID])
            var next = try Int.fetchOne(db, sql: "SELECT coalesce(max(statusIndex) + 1, 0) FROM certificate") ?? 0
            let update = try db.makeStatement(sql: """
                UPDATE certificate SET recipientSalt = coalesce(recipientSalt, ?), statusIndex = coalesce(statusIndex, ?) WHERE code = ?
                """)
            for code in missing {
                try update.execute(arguments: [fresh(), next, code])
                next += 1
            }
            var entries: [String: (salt: String, statusIndex: Int)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT code, recipientSalt, statusIndex FROM certificate WHERE \(filter)", arguments: [programID, schoolID]) {
                entries[row[0]] = (row[1], row[2])
            }
            return entries
        }
    }

    /// The revocation status list: the status indexes of revoked certificates, and how many
    /// indexes have been given (the list's length in bits must cover them).
    package func revocationStatus() throws(StoreError) -> (revoked: [Int], assigned: Int) {
        try read { db in
            let revoked = try Int.fetchAll(db, sql: "SELECT statusIndex FROM certificate WHERE revokedOn IS NOT NULL AND statusIndex IS NOT NULL")
            let assigned = try Int.fetchOne(db, sql: "SELECT coalesce(max(statusIndex) + 1, 0) FROM certificate") ?? 0
            return (revoked, assigned)
        }
    }
}
