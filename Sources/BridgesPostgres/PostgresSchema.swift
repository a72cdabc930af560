import BridgesStore
import Foundation
import PostgresNIO

/// The schema on PostgreSQL, one named migration at a time, in the store's own schema.
///
/// It starts from the shape SQLite's store reached through its own migrations (the same tables
/// and columns, so the same queries read the same way), as one migration: there were no earlier
/// PostgreSQL databases to bring along. A migration is never edited once shipped: a change is a
/// new one. Every text column sorts as bytes (`COLLATE "C"`), as SQLite compares text, so that
/// listings and reports come out in the same order on both stores whatever the server's locale.
/// Counts and ids are BIGINT, flags 0/1 like SQLite's.
enum PostgresSchema {
    static let migrationsTable = "bridges_migrations"

    static let migrations: [(name: String, sql: String)] = [
        ("postgres v1 schema", v1),
    ]

    static var known: [String] { migrations.map(\.name) }

    /// The tables as Bridges names them, by the lower-case names PostgreSQL keeps.
    static let tableNames: [String: String] = Dictionary(uniqueKeysWithValues: [
        "auditEvent", "program", "programVersion", "lesson", "lessonVersion", "school", "schoolClass", "student", "enrollment",
        "officer", "session", "mark", "quizAttempt", "certificate", "issuer", "disclosure", "disclosedStudent",
        "account", "accountSchool", "apiToken", "signIn", "idempotencyKey",
    ].map { ($0.lowercased(), $0) })

    /// What is in the store's schema: nothing (a new database), a Bridges database, or something
    /// else. The names of its tables, and the migrations it had.
    static func look(_ connection: PostgresConnection, schema: String) async throws -> (tables: [String], applied: [String]?) {
        let tables = try await connection.values(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = \(schema) ORDER BY 1", as: String.self)
        guard tables.contains(migrationsTable) else { return (tables, nil) }
        let applied = try await connection.values("SELECT name FROM bridges_migrations ORDER BY appliedAt, name", as: String.self)
        return (tables, applied)
    }

    /// The migrations still to apply, or why this is no Bridges database this one can use.
    static func pending(tables: [String], applied: [String]?, name: String) throws(StoreError) -> [String] {
        guard let applied else {
            if tables.isEmpty { return known }
            throw StoreError.notADatabase(
                path: name,
                why: "its schema holds tables of another program (\(tables.prefix(5).joined(separator: ", "))\(tables.count > 5 ? ", …" : "")); it was left untouched. Name another schema with ?schema= in the address")
        }
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { throw StoreError.newerVersion(path: name, migrations: unknown) }
        return known.filter { !applied.contains($0) }
    }

    /// Applies what is pending, inside the caller's transaction (which holds the writers' lock).
    static func migrate(_ connection: PostgresConnection, schema: String, pending: [String]) async throws {
        if pending.isEmpty { return }
        try await connection.run("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)")
        try await connection.run("""
            CREATE TABLE IF NOT EXISTS bridges_migrations (name TEXT COLLATE "C" PRIMARY KEY, appliedAt TEXT NOT NULL)
            """)
        for migration in migrations where pending.contains(migration.name) {
            // One statement at a time: the extended protocol takes one per query.
            for statement in statements(migration.sql) {
                try await connection.run(PostgresQuery(unsafeSQL: statement))
            }
            try await connection.run("""
                INSERT INTO bridges_migrations (name, appliedAt)
                VALUES (\(migration.name), to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
                """)
        }
    }

    /// `sql` split at the semicolons that end statements (outside `$$` bodies and comments).
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inBody = false
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") { continue }
            current += line + "\n"
            if line.components(separatedBy: "$$").count % 2 == 0 { inBody.toggle() }
            if !inBody, trimmed.hasSuffix(";") {
                statements.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }

    static let v1 = """
        -- The audit trail: every write records who and when; a correction its old and new values
        -- and why. Chained by hash (AuditChain). Append-only by the database's own rule: a trigger
        -- refuses every update and delete, but for an erasure, which only blanks personal fields
        -- and records their digests, once; TRUNCATE is refused too.
        CREATE TABLE auditEvent (
            id BIGINT PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entityId TEXT NOT NULL,
            field TEXT,
            oldValue TEXT,
            newValue TEXT,
            reason TEXT,
            detail TEXT,
            chainHash TEXT,
            erased TEXT
        );
        CREATE INDEX auditEvent_entity ON auditEvent(entity, entityId);
        CREATE FUNCTION auditEvent_appendOnly() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.erased IS NULL AND NEW.erased IS NOT NULL
                AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.action = OLD.action
                AND NEW.entity = OLD.entity AND NEW.entityId = OLD.entityId
                AND NEW.field IS NOT DISTINCT FROM OLD.field AND NEW.chainHash IS NOT DISTINCT FROM OLD.chainHash
                AND (NEW.oldValue IS NULL OR NEW.oldValue = OLD.oldValue) AND (NEW.newValue IS NULL OR NEW.newValue = OLD.newValue)
                AND (NEW.reason IS NULL OR NEW.reason = OLD.reason) AND (NEW.detail IS NULL OR NEW.detail = OLD.detail)
            THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'the audit trail is append-only';
        END
        $$;
        CREATE TRIGGER auditEvent_noChange BEFORE UPDATE OR DELETE ON auditEvent
            FOR EACH ROW EXECUTE FUNCTION auditEvent_appendOnly();
        CREATE TRIGGER auditEvent_noTruncate BEFORE TRUNCATE ON auditEvent
            FOR EACH STATEMENT EXECUTE FUNCTION auditEvent_appendOnly();

        -- Lesson plans: every version stays stored (sessions record the version taught).
        -- `content` is the canonical JSON of the decoded value.
        CREATE TABLE program (
            id TEXT PRIMARY KEY,
            latestVersion BIGINT NOT NULL
        );
        CREATE TABLE programVersion (
            programId TEXT NOT NULL REFERENCES program(id),
            version BIGINT NOT NULL,
            title TEXT NOT NULL,
            content TEXT NOT NULL,
            sourcePath TEXT NOT NULL,
            loadedAt TEXT NOT NULL,
            loadedBy TEXT NOT NULL,
            PRIMARY KEY (programId, version)
        );
        CREATE TABLE lesson (
            id TEXT PRIMARY KEY,
            -- Checked at commit when a load asks (a lesson may come before its program).
            programId TEXT NOT NULL REFERENCES program(id) DEFERRABLE INITIALLY IMMEDIATE,
            latestVersion BIGINT NOT NULL
        );
        CREATE INDEX lesson_program ON lesson(programId);
        CREATE TABLE lessonVersion (
            lessonId TEXT NOT NULL REFERENCES lesson(id),
            version BIGINT NOT NULL,
            title TEXT NOT NULL,
            minutes BIGINT NOT NULL,
            content TEXT NOT NULL,
            sourcePath TEXT NOT NULL,
            loadedAt TEXT NOT NULL,
            loadedBy TEXT NOT NULL,
            PRIMARY KEY (lessonId, version)
        );

        -- Rosters. Ids are kept exactly as the school wrote them (text: leading zeros survive).
        CREATE TABLE school (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL
        );
        CREATE TABLE schoolClass (
            id TEXT PRIMARY KEY,
            schoolId TEXT NOT NULL REFERENCES school(id),
            name TEXT NOT NULL
        );
        CREATE INDEX schoolClass_school ON schoolClass(schoolId);
        -- `grade`: K-12 as 0-12 where there is one; `gradeCode` as shown (K, 1…12, a CEDS code or '').
        -- `identifier`: the district's student number. `directoryOptOut`: FERPA directory
        -- information withheld (0/1). `erasedAt`: personal data replaced by a pseudonym.
        -- `holdReason`: under a legal hold.
        CREATE TABLE student (
            id TEXT PRIMARY KEY,
            givenName TEXT NOT NULL,
            familyName TEXT NOT NULL,
            grade BIGINT CHECK (grade IS NULL OR grade BETWEEN 0 AND 12),
            gradeCode TEXT NOT NULL DEFAULT '',
            identifier TEXT,
            directoryOptOut BIGINT NOT NULL DEFAULT 0,
            erasedAt TEXT,
            holdReason TEXT
        );
        CREATE INDEX student_identifier ON student(identifier) WHERE identifier IS NOT NULL;
        CREATE TABLE enrollment (
            classId TEXT NOT NULL REFERENCES schoolClass(id),
            studentId TEXT NOT NULL REFERENCES student(id),
            PRIMARY KEY (classId, studentId)
        );
        CREATE INDEX enrollment_student ON enrollment(studentId);

        CREATE TABLE officer (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            agency TEXT,
            certifiedUntil TEXT
        );

        -- One taught lesson. A voided session stays, with who voided it and why; only sessions
        -- that are not voided count and block a second log of the same class, lesson and day.
        CREATE TABLE session (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            classId TEXT NOT NULL REFERENCES schoolClass(id),
            lessonId TEXT NOT NULL,
            lessonVersion BIGINT NOT NULL,
            officerId TEXT NOT NULL REFERENCES officer(id),
            date TEXT NOT NULL,
            minutes BIGINT NOT NULL CHECK (minutes > 0),
            note TEXT,
            recordedAt TEXT NOT NULL,
            recordedBy TEXT NOT NULL,
            voidedAt TEXT,
            voidedBy TEXT,
            voidReason TEXT,
            FOREIGN KEY (lessonId, lessonVersion) REFERENCES lessonVersion(lessonId, version)
        );
        CREATE UNIQUE INDEX session_once ON session(classId, lessonId, date) WHERE voidedAt IS NULL;
        CREATE INDEX session_date ON session(date);
        CREATE INDEX session_lesson ON session(lessonId);
        -- Exactly one status per student per session.
        CREATE TABLE mark (
            sessionId BIGINT NOT NULL REFERENCES session(id),
            studentId TEXT NOT NULL REFERENCES student(id),
            status TEXT NOT NULL CHECK (status IN ('present', 'late', 'absent', 'excused')),
            PRIMARY KEY (sessionId, studentId)
        );
        CREATE INDEX mark_student ON mark(studentId);
        -- Every attempt is kept; a voided one stays with who voided it and why.
        CREATE TABLE quizAttempt (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            sessionId BIGINT NOT NULL REFERENCES session(id),
            studentId TEXT NOT NULL REFERENCES student(id),
            attempt BIGINT NOT NULL,
            responses TEXT NOT NULL,
            earned BIGINT NOT NULL,
            possible BIGINT NOT NULL,
            passed BIGINT NOT NULL,
            recordedAt TEXT NOT NULL,
            recordedBy TEXT NOT NULL,
            voidedAt TEXT,
            voidedBy TEXT,
            voidReason TEXT,
            UNIQUE (sessionId, studentId, attempt)
        );
        CREATE INDEX quizAttempt_student ON quizAttempt(studentId);

        -- Certificates are never deleted. The code is random, stored without dashes, upper case.
        CREATE TABLE certificate (
            code TEXT PRIMARY KEY,
            studentId TEXT NOT NULL REFERENCES student(id),
            programId TEXT NOT NULL REFERENCES program(id),
            programVersion BIGINT NOT NULL,
            title TEXT NOT NULL,
            schoolId TEXT REFERENCES school(id),
            issuedOn TEXT NOT NULL,
            validUntil TEXT,
            issuedAt TEXT NOT NULL,
            issuedBy TEXT NOT NULL,
            revokedOn TEXT,
            revokedAt TEXT,
            revokedBy TEXT,
            revocationReason TEXT,
            recipientSalt TEXT,
            statusIndex BIGINT
        );
        CREATE INDEX certificate_student ON certificate(studentId, programId);
        CREATE INDEX certificate_program ON certificate(programId, issuedOn);
        CREATE UNIQUE INDEX certificate_statusIndex ON certificate(statusIndex) WHERE statusIndex IS NOT NULL;
        -- The one issuer of this database's Open Badges; its private key is never stored here.
        CREATE TABLE issuer (
            id BIGINT PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            url TEXT NOT NULL,
            keyId TEXT NOT NULL,
            publicJwk TEXT NOT NULL,
            keyPath TEXT NOT NULL,
            createdAt TEXT NOT NULL,
            createdBy TEXT NOT NULL
        );

        -- The disclosure log (FERPA 34 CFR 99.32): append-only like the audit trail. Student ids
        -- are not foreign keys: the log outlives whatever is done to the roster.
        CREATE TABLE disclosure (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            filters TEXT NOT NULL,
            rowCount BIGINT NOT NULL,
            destination TEXT NOT NULL,
            purpose TEXT,
            namesStudents BIGINT NOT NULL
        );
        CREATE INDEX disclosure_at ON disclosure(at);
        CREATE TABLE disclosedStudent (
            studentId TEXT NOT NULL,
            disclosureId BIGINT NOT NULL REFERENCES disclosure(id),
            PRIMARY KEY (studentId, disclosureId)
        );
        CREATE FUNCTION disclosure_appendOnly() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the disclosure log is append-only';
        END
        $$;
        CREATE TRIGGER disclosure_noChange BEFORE UPDATE OR DELETE ON disclosure
            FOR EACH ROW EXECUTE FUNCTION disclosure_appendOnly();
        CREATE TRIGGER disclosure_noTruncate BEFORE TRUNCATE ON disclosure
            FOR EACH STATEMENT EXECUTE FUNCTION disclosure_appendOnly();
        CREATE TRIGGER disclosedStudent_noChange BEFORE UPDATE OR DELETE ON disclosedStudent
            FOR EACH ROW EXECUTE FUNCTION disclosure_appendOnly();
        CREATE TRIGGER disclosedStudent_noTruncate BEFORE TRUNCATE ON disclosedStudent
            FOR EACH STATEMENT EXECUTE FUNCTION disclosure_appendOnly();

        -- Accounts of `bridges serve`: passwords as bcrypt hashes, tokens and sign-ins as the
        -- SHA-256 of their secret. The idempotency key's session is not a foreign key (a
        -- retention purge may remove the session).
        CREATE TABLE account (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            officerId TEXT,
            passwordHash TEXT NOT NULL,
            disabled BIGINT NOT NULL DEFAULT 0,
            failedAttempts BIGINT NOT NULL DEFAULT 0,
            lockedUntil TEXT,
            createdAt TEXT NOT NULL
        );
        CREATE TABLE accountSchool (
            account TEXT NOT NULL REFERENCES account(name),
            schoolId TEXT NOT NULL,
            PRIMARY KEY (account, schoolId)
        );
        CREATE TABLE apiToken (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            account TEXT NOT NULL REFERENCES account(name),
            secretHash TEXT NOT NULL UNIQUE,
            createdAt TEXT NOT NULL,
            expires TEXT,
            revokedAt TEXT
        );
        CREATE TABLE signIn (
            secretHash TEXT PRIMARY KEY,
            account TEXT NOT NULL REFERENCES account(name),
            csrfToken TEXT NOT NULL,
            createdAt TEXT NOT NULL,
            expiresAt TEXT NOT NULL
        );
        CREATE INDEX signIn_account ON signIn(account);
        CREATE TABLE idempotencyKey (
            caller TEXT NOT NULL,
            key TEXT NOT NULL,
            bodyHash TEXT NOT NULL,
            sessionId BIGINT NOT NULL,
            createdAt TEXT NOT NULL,
            PRIMARY KEY (caller, key)
        );
        """.replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"")
}
