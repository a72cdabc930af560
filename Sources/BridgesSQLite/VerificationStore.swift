import BridgesCore
import BridgesStore
import Foundation
import GRDB

/// What public verification needs beyond the certificate: the family's directory-information
/// choice, and the writes that change what verification says (opt-out, reinstatement).
extension SQLiteStore {
    /// Whether the student's family opted out of directory information; nil when there is no such student.
    package func directoryOptOut(studentID: String) throws(StoreError) -> Bool? {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT directoryOptOut FROM student WHERE id = ?", arguments: [studentID])
        }
    }

    /// The district's student number (OneRoster `identifier`) of a student, when the roster gave
    /// one: what a badge's recipient hash is made from, since it is the number the family knows.
    package func studentIdentifier(studentID: String) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT identifier FROM student WHERE id = ? AND identifier <> ''", arguments: [studentID])
        }
    }

    /// Records a family's directory-information opt-out (or its withdrawal), audited with the
    /// reason. Returns nil when there is no such student, false when it already was so (nothing
    /// written), true when it changed.
    package func setDirectoryOptOut(studentID: String, optedOut: Bool, reason: String, context: WriteContext) throws(StoreError) -> Bool? {
        try write { db in
            guard let current = try Bool.fetchOne(db, sql: "SELECT directoryOptOut FROM student WHERE id = ?", arguments: [studentID]) else { return nil }
            if current == optedOut { return false }
            try db.execute(sql: "UPDATE student SET directoryOptOut = ? WHERE id = ?", arguments: [optedOut, studentID])
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: optedOut ? "opt-out" : "opt-in", entity: "student", entityId: studentID,
                field: "directoryOptOut", oldValue: current ? "yes" : "no", newValue: optedOut ? "yes" : "no", reason: reason), in: db)
            return true
        }
    }

    /// Reinstates a revoked certificate: its revocation is cleared from the certificate and kept
    /// in the audit trail (the revoke event, with its reason), beside this one. Returns nil when
    /// there is no such certificate, false when it is not revoked (nothing written).
    package func reinstateCertificate(code: String, reason: String, context: WriteContext) throws(StoreError) -> Bool? {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT revokedOn, revocationReason FROM certificate WHERE code = ?", arguments: [code]) else { return nil }
            guard let revokedOn: String = row[0] else { return false }
            let revocationReason: String? = row[1]
            try db.execute(sql: "UPDATE certificate SET revokedOn = NULL, revokedAt = NULL, revokedBy = NULL, revocationReason = NULL WHERE code = ?",
                           arguments: [code])
            try Self.record(AuditEvent(
                at: context.at, actor: context.actor, action: "reinstate", entity: "certificate", entityId: code,
                field: "status", oldValue: "revoked", newValue: "issued", reason: reason,
                detail: "revoked on \(revokedOn)\(revocationReason.map { " (\($0))" } ?? "")"), in: db)
            return true
        }
    }
}
