import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

/// One finding of `doctor`: what was checked and what was found, in plain words.
public struct DatabaseCheck: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case passed = "ok"
        /// Worth fixing, but the records are sound (a file others can read).
        case warning
        case failed = "FAILED"
    }

    public var name: String
    public var outcome: Outcome
    public var finding: Message

    public init(name: String, outcome: Outcome, finding: Message) {
        self.name = name
        self.outcome = outcome
        self.finding = finding
    }
}

/// A finished backup: where the copy is and how big.
public struct DatabaseBackup: Sendable, Hashable {
    public var path: String
    public var bytes: Int64
}

/// Checking and copying a database file without changing it.
public enum DatabaseMaintenance {
    /// Checks the database at `path`, opened read-only: the engine's own integrity check and foreign keys, the
    /// migrations, the audit trail's consistency, and who may read the file. Throws `.notFound`
    /// when there is no file (nothing is created) and `.io` when it cannot be opened as a database.
    public static func check(_ location: DatabaseLocation, now: Date) async throws(BridgesError) -> [DatabaseCheck] {
        let inspection = try await inspect(location)
        var checks: [DatabaseCheck] = []
        // A check that the engine cannot even complete (a damaged page met on the way) is a failed
        // check, not a reason to stop: the others still say something useful.
        func run(_ name: String, _ body: () async throws(StoreError) -> DatabaseCheck) async {
            do {
                checks.append(try await body())
            } catch {
                checks.append(DatabaseCheck(name: name, outcome: .failed, finding: "could not be completed: \(error)"))
            }
        }
        await run("integrity") { () async throws(StoreError) in
            let problems = try await inspection.integrityProblems()
            return problems.isEmpty
                ? DatabaseCheck(name: "integrity", outcome: .passed, finding: "\(inspection.engine) found no damage in \(inspection.storage)")
                : DatabaseCheck(name: "integrity", outcome: .failed, finding: "\(inspection.engine) found damage: \(problems.prefix(3).joined(separator: "; ")); restore the latest backup")
        }
        await run("foreign keys") { () async throws(StoreError) in
            let problems = try await inspection.foreignKeyProblems()
            return problems.isEmpty
                ? DatabaseCheck(name: "foreign keys", outcome: .passed, finding: "every reference points at a stored record")
                : DatabaseCheck(name: "foreign keys", outcome: .failed, finding: "\(problems.count) broken reference\(problems.count == 1 ? "" : "s"): \(problems.prefix(3).joined(separator: "; "))")
        }
        await run("migrations") { () async throws(StoreError) in
            let (known, applied) = try await inspection.migrationState()
            let missing = known.filter { !applied.contains($0) }
            let unknown = applied.filter { !known.contains($0) }
            if !unknown.isEmpty {
                return DatabaseCheck(name: "migrations", outcome: .failed, finding: "the file was written by a newer bridges (it has \(unknown.map { "\"\($0)\"" }.joined(separator: ", "))); use that version")
            }
            if !missing.isEmpty {
                return DatabaseCheck(name: "migrations", outcome: .failed, finding: "\(missing.count) of \(known.count) migrations not applied (\(missing.map { "\"\($0)\"" }.joined(separator: ", "))); any write command applies them")
            }
            return DatabaseCheck(name: "migrations", outcome: .passed, finding: "all \(known.count) migrations applied")
        }
        await run("audit trail") { () async throws(StoreError) in
            let problems = try await inspection.auditTrailProblems(now: Timestamp.iso8601(now))
            return problems.isEmpty
                ? DatabaseCheck(name: "audit trail", outcome: .passed, finding: "append-only, nothing dated in the future, every session, void and revocation recorded")
                : DatabaseCheck(name: "audit trail", outcome: .failed, finding: .joined(problems, separator: "; "))
        }
        await checks += auditChainChecks(inspection)
        await checks.append(permissions(inspection))
        return checks
    }

    /// How many records the database holds, by table, read without changing the file.
    public static func counts(_ location: DatabaseLocation) async throws(BridgesError) -> [String: Int] {
        let inspection = try await inspect(location)
        do {
            return await Dictionary(uniqueKeysWithValues: try inspection.counts().map { ($0.table, $0.rows) })
        } catch {
            throw BridgesError(error)
        }
    }

    /// Copies the database at `location` to a new file at `destination` (owner-only), as one
    /// consistent snapshot even while other commands write. Never replaces an existing file.
    public static func backUp(_ location: DatabaseLocation, to destination: String) async throws(BridgesError) -> DatabaseBackup {
        if (try? SystemCall.linkStatus(of: destination)) != nil {
            throw .usage("\(destination) already exists; a backup never replaces a file. Name a new file, or move the old one away first")
        }
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) || !isFolder.boolValue {
            throw .io("cannot write the backup \(destination): the folder \(folder) does not exist; create it first")
        }
        do {
            // A folder others can write to is refused before anything is made there.
            try PrivateFile.checkFolder(PrivateFile.folder(of: destination), for: destination)
        } catch {
            throw BridgesError(error)
        }
        let inspection = try await inspect(location)
        do {
            let bytes = try await inspection.backUp(to: destination)
            return DatabaseBackup(path: destination, bytes: bytes)
        } catch {
            throw BridgesError(error)
        }
    }

    private static func inspect(_ location: DatabaseLocation) async throws(BridgesError) -> any StoreInspection {
        do {
            return try await location.store.inspect()
        } catch {
            throw BridgesError(error)
        }
    }

    /// The database holds minors' records: only its owner should read it.
    private static func permissions(_ inspection: any StoreInspection) async -> DatabaseCheck {
        let open = await inspection.readableByOthers()
        if open.isEmpty {
            return DatabaseCheck(name: "permissions", outcome: .passed, finding: Message(inspection.ownerOnlyAccess))
        }
        return DatabaseCheck(
            name: "permissions", outcome: .warning,
            finding: "people other than the owner can read \(open.map { "\($0.file) (\($0.mode))" }.joined(separator: ", ")), and the database holds minors' records; fix with: chmod 600 \(open.map(\.file).joined(separator: " "))")
    }
}
