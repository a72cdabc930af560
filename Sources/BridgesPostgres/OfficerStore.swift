import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Adds the officer, or updates a stored one's details, in one transaction, each changed field
    /// in the audit trail with its old and new value. `agency`, `certifiedUntil`: nil keeps what
    /// is stored, `.some(nil)` clears it.
    package func saveOfficer(
        id: String, name: String, agency: String??, certifiedUntil: String??, context: WriteContext
    ) async throws(StoreError) -> OfficerSave {
        try await write { connection in
            let stored = try await Self.officer(id: id, on: connection)
            let keptAgency: String? = if let agency { agency } else { stored?.agency }
            let keptDate: String? = if let certifiedUntil { certifiedUntil } else { stored?.certifiedUntil }
            let officer = Officer(id: id, name: name, agency: keptAgency, certifiedUntil: keptDate)
            guard let stored else {
                try await connection.run("""
                    INSERT INTO officer (id, name, agency, certifiedUntil) VALUES (\(officer.id), \(officer.name), \(officer.agency), \(officer.certifiedUntil))
                    """)
                try await Self.record(
                    AuditEvent(
                        at: context.at, actor: context.actor, action: "add", entity: "officer", entityId: officer.id,
                        detail: OfficerSave.Change.detail(officer)),
                    on: connection)
                return .added
            }
            let changes = [
                OfficerSave.Change(field: "name", oldValue: stored.name, newValue: officer.name),
                OfficerSave.Change(field: "agency", oldValue: stored.agency, newValue: officer.agency),
                OfficerSave.Change(field: "certifiedUntil", oldValue: stored.certifiedUntil, newValue: officer.certifiedUntil),
            ].filter { $0.oldValue != $0.newValue }
            guard !changes.isEmpty else { return .unchanged }
            try await connection.run("""
                UPDATE officer SET name = \(officer.name), agency = \(officer.agency), certifiedUntil = \(officer.certifiedUntil) WHERE id = \(officer.id)
                """)
            for change in changes {
                try await Self.record(
                    AuditEvent(
                        at: context.at, actor: context.actor, action: "update", entity: "officer", entityId: officer.id,
                        field: change.field, oldValue: change.oldValue, newValue: change.newValue),
                    on: connection)
            }
            return .updated(changes)
        }
    }

    package func officer(id: String) async throws(StoreError) -> Officer? {
        try await read { connection in try await Self.officer(id: id, on: connection) }
    }

    package func officers() async throws(StoreError) -> [Officer] {
        try await read { connection in
            var officers: [Officer] = []
            for try await (id, name, agency, until) in try await connection.rows(
                "SELECT id, name, agency, certifiedUntil FROM officer ORDER BY id").decode((String, String, String?, String?).self) {
                officers.append(Officer(id: id, name: name, agency: agency, certifiedUntil: until))
            }
            return officers
        }
    }

    /// Within a transaction, for operations (such as logging a session) that check an officer.
    static func officer(id: String, on connection: PostgresConnection) async throws -> Officer? {
        guard let (id, name, agency, until) = try await connection.first(
            "SELECT id, name, agency, certifiedUntil FROM officer WHERE id = \(id)", as: (String, String, String?, String?).self) else { return nil }
        return Officer(id: id, name: name, agency: agency, certifiedUntil: until)
    }
}
