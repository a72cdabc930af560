import BridgesCore
import BridgesStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Adds the officer, or updates a stored one's details, in one transaction; each changed
    /// field is recorded in the audit trail with its old and new value, so a wrong edit can be
    /// seen and put back.
    ///
    /// `agency` and `certifiedUntil` are doubly optional: `nil` keeps what is stored, `.some(nil)`
    /// clears it.
    package func saveOfficer(
        id: String, name: String, agency: String??, certifiedUntil: String??, context: WriteContext
    ) throws(StoreError) -> OfficerSave {
        try write { db in
            let stored = try Self.officer(id: id, in: db)
            let keptAgency: String? = if let agency { agency } else { stored?.agency }
            let keptDate: String? = if let certifiedUntil { certifiedUntil } else { stored?.certifiedUntil }
            let officer = Officer(id: id, name: name, agency: keptAgency, certifiedUntil: keptDate)
            guard let stored else {
                try db.execute(
                    sql: "INSERT INTO officer (id, name, agency, certifiedUntil) VALUES (?, ?, ?, ?)",
                    arguments: [officer.id, officer.name, officer.agency, officer.certifiedUntil])
                try Self.record(
                    AuditEvent(
                        at: context.at, actor: context.actor, action: "add", entity: "officer", entityId: officer.id,
                        detail: OfficerSave.Change.detail(officer)),
                    in: db)
                return .added
            }
            let changes = [
                OfficerSave.Change(field: "name", oldValue: stored.name, newValue: officer.name),
                OfficerSave.Change(field: "agency", oldValue: stored.agency, newValue: officer.agency),
                OfficerSave.Change(field: "certifiedUntil", oldValue: stored.certifiedUntil, newValue: officer.certifiedUntil),
            ].filter { $0.oldValue != $0.newValue }
            guard !changes.isEmpty else { return .unchanged }
            try db.execute(
                sql: "UPDATE officer SET name = ?, agency = ?, certifiedUntil = ? WHERE id = ?",
                arguments: [officer.name, officer.agency, officer.certifiedUntil, officer.id])
            for change in changes {
                try Self.record(
                    AuditEvent(
                        at: context.at, actor: context.actor, action: "update", entity: "officer", entityId: officer.id,
                        field: change.field, oldValue: change.oldValue, newValue: change.newValue),
                    in: db)
            }
            return .updated(changes)
        }
    }

    /// The stored officer with this id, if any.
    package func officer(id: String) throws(StoreError) -> Officer? {
        try read { db in try Self.officer(id: id, in: db) }
    }

    /// Every stored officer, by id.
    package func officers() throws(StoreError) -> [Officer] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, agency, certifiedUntil FROM officer ORDER BY id").map(Self.officer(from:))
        }
    }

    /// Within a transaction, for operations (such as logging a session) that check an officer.
    package static func officer(id: String, in db: Database) throws -> Officer? {
        try Row.fetchOne(
            db, sql: "SELECT id, name, agency, certifiedUntil FROM officer WHERE id = ?", arguments: [id]
        ).map(officer(from:))
    }

    private static func officer(from row: Row) -> Officer {
        Officer(id: row[0], name: row[1], agency: row[2], certifiedUntil: row[3])
    }
}
