import BridgesCore

/// One table of a Bridges database as every store holds it: the same name and columns in SQLite
/// and PostgreSQL, so that a whole database can be copied from one store to the other
/// (`bridges db copy`) and the two compared row by row.
package struct StoreTable: Sendable, Hashable {
    package let name: String
    package let columns: [String]
    /// The primary key: the order rows are read in, and where a page of them starts.
    package let key: [String]
    /// The columns that hold whole numbers (every other column holds text).
    package let integerColumns: Set<String>

    package init(_ name: String, columns: [String], key: [String], integers: Set<String> = []) {
        self.name = name
        self.columns = columns
        self.key = key
        integerColumns = integers
    }

    /// Where each key column is among `columns`.
    package var keyPositions: [Int] { key.map { columns.firstIndex(of: $0)! } }
}

package enum StoreTables {
    /// Every table, parents before children (the order a copy fills them in).
    package static let all: [StoreTable] = [
        StoreTable("auditEvent", columns: ["id", "at", "actor", "action", "entity", "entityId", "field", "oldValue", "newValue", "reason", "detail", "chainHash", "erased"],
                   key: ["id"], integers: ["id"]),
        StoreTable("program", columns: ["id", "latestVersion"], key: ["id"], integers: ["latestVersion"]),
        StoreTable("programVersion", columns: ["programId", "version", "title", "content", "sourcePath", "loadedAt", "loadedBy"],
                   key: ["programId", "version"], integers: ["version"]),
        StoreTable("lesson", columns: ["id", "programId", "latestVersion"], key: ["id"], integers: ["latestVersion"]),
        StoreTable("lessonVersion", columns: ["lessonId", "version", "title", "minutes", "content", "sourcePath", "loadedAt", "loadedBy"],
                   key: ["lessonId", "version"], integers: ["version", "minutes"]),
        StoreTable("school", columns: ["id", "name"], key: ["id"]),
        StoreTable("schoolClass", columns: ["id", "schoolId", "name"], key: ["id"]),
        StoreTable("student", columns: ["id", "givenName", "familyName", "grade", "gradeCode", "identifier", "directoryOptOut", "erasedAt", "holdReason"],
                   key: ["id"], integers: ["grade", "directoryOptOut"]),
        StoreTable("enrollment", columns: ["classId", "studentId"], key: ["classId", "studentId"]),
        StoreTable("officer", columns: ["id", "name", "agency", "certifiedUntil"], key: ["id"]),
        StoreTable("session", columns: ["id", "classId", "lessonId", "lessonVersion", "officerId", "date", "minutes", "note", "recordedAt", "recordedBy",
                                        "voidedAt", "voidedBy", "voidReason"],
                   key: ["id"], integers: ["id", "lessonVersion", "minutes"]),
        StoreTable("mark", columns: ["sessionId", "studentId", "status"], key: ["sessionId", "studentId"], integers: ["sessionId"]),
        StoreTable("quizAttempt", columns: ["id", "sessionId", "studentId", "attempt", "responses", "earned", "possible", "passed", "recordedAt", "recordedBy",
                                            "voidedAt", "voidedBy", "voidReason"],
                   key: ["id"], integers: ["id", "sessionId", "attempt", "earned", "possible", "passed"]),
        StoreTable("certificate", columns: ["code", "studentId", "programId", "programVersion", "title", "schoolId", "issuedOn", "validUntil", "issuedAt",
                                            "issuedBy", "revokedOn", "revokedAt", "revokedBy", "revocationReason", "recipientSalt", "statusIndex"],
                   key: ["code"], integers: ["programVersion", "statusIndex"]),
        StoreTable("issuer", columns: ["id", "name", "url", "keyId", "publicJwk", "keyPath", "createdAt", "createdBy"], key: ["id"], integers: ["id"]),
        StoreTable("disclosure", columns: ["id", "at", "actor", "kind", "filters", "rowCount", "destination", "purpose", "namesStudents"],
                   key: ["id"], integers: ["id", "rowCount", "namesStudents"]),
        StoreTable("disclosedStudent", columns: ["studentId", "disclosureId"], key: ["studentId", "disclosureId"], integers: ["disclosureId"]),
        StoreTable("account", columns: ["name", "role", "officerId", "passwordHash", "disabled", "failedAttempts", "lockedUntil", "createdAt"],
                   key: ["name"], integers: ["disabled", "failedAttempts"]),
        StoreTable("accountSchool", columns: ["account", "schoolId"], key: ["account", "schoolId"]),
        StoreTable("apiToken", columns: ["id", "account", "secretHash", "createdAt", "expires", "revokedAt"], key: ["id"], integers: ["id"]),
        StoreTable("signIn", columns: ["secretHash", "account", "csrfToken", "createdAt", "expiresAt"], key: ["secretHash"]),
        StoreTable("idempotencyKey", columns: ["caller", "key", "bodyHash", "sessionId", "createdAt"], key: ["caller", "key"], integers: ["sessionId"]),
    ]
}

/// The SHA-256 of a table's rows as a copy reads them, the same for every store: each value is
/// byte 0 for NULL, or byte 1, its UTF-8 length (4 bytes, big-endian) and its UTF-8.
package struct TableDigest: Sendable {
    private var hasher = SHA256()
    package private(set) var rows = 0

    package init() {}

    package mutating func add(_ row: [String?]) {
        rows += 1
        for value in row {
            guard let value else {
                hasher.update([0])
                continue
            }
            let utf8 = Array(value.utf8)
            let count = UInt32(truncatingIfNeeded: utf8.count)
            hasher.update([1, UInt8(count >> 24), UInt8(truncatingIfNeeded: count >> 16), UInt8(truncatingIfNeeded: count >> 8), UInt8(truncatingIfNeeded: count)])
            hasher.update(utf8)
        }
    }

    package func finish() -> String {
        var copy = hasher
        return copy.finalize().hexadecimal
    }
}
