import BridgesStore
import GRDB

extension SQLiteStore {
    /// The schema, one named migration at a time. A migration is never edited once shipped: a
    /// change is a new migration, so every school's database can be brought up to date.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1 audit trail") { db in
            // Every write records who and when; a correction records old and new values and why.
            // Append-only: triggers refuse to change or delete what was recorded.
            try db.execute(sql: """
                CREATE TABLE auditEvent (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    entityId TEXT NOT NULL,
                    field TEXT,
                    oldValue TEXT,
                    newValue TEXT,
                    reason TEXT,
                    detail TEXT
                );
                CREATE INDEX auditEvent_entity ON auditEvent(entity, entityId);
                CREATE TRIGGER auditEvent_noUpdate BEFORE UPDATE ON auditEvent
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                CREATE TRIGGER auditEvent_noDelete BEFORE DELETE ON auditEvent
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                """)
        }

        migrator.registerMigration("v1 lesson plans") { db in
            // Every version stays stored: sessions record the version taught. `content` is the
            // canonical JSON of the decoded value, which is what "same content" compares.
            try db.execute(sql: """
                CREATE TABLE program (
                    id TEXT PRIMARY KEY NOT NULL,
                    latestVersion INTEGER NOT NULL
                );
                CREATE TABLE programVersion (
                    programId TEXT NOT NULL REFERENCES program(id),
                    version INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    content TEXT NOT NULL,
                    sourcePath TEXT NOT NULL,
                    loadedAt TEXT NOT NULL,
                    loadedBy TEXT NOT NULL,
                    PRIMARY KEY (programId, version)
                ) WITHOUT ROWID;
                CREATE TABLE lesson (
                    id TEXT PRIMARY KEY NOT NULL,
                    programId TEXT NOT NULL REFERENCES program(id),
                    latestVersion INTEGER NOT NULL
                );
                CREATE INDEX lesson_program ON lesson(programId);
                CREATE TABLE lessonVersion (
                    lessonId TEXT NOT NULL REFERENCES lesson(id),
                    version INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    minutes INTEGER NOT NULL,
                    content TEXT NOT NULL,
                    sourcePath TEXT NOT NULL,
                    loadedAt TEXT NOT NULL,
                    loadedBy TEXT NOT NULL,
                    PRIMARY KEY (lessonId, version)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v1 rosters, officers, sessions and quizzes") { db in
            // Ids are kept exactly as the school wrote them (TEXT, so leading zeros survive).
            try db.execute(sql: """
                CREATE TABLE school (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL
                );
                CREATE TABLE schoolClass (
                    id TEXT PRIMARY KEY NOT NULL,
                    schoolId TEXT NOT NULL REFERENCES school(id),
                    name TEXT NOT NULL
                );
                CREATE INDEX schoolClass_school ON schoolClass(schoolId);
                CREATE TABLE student (
                    id TEXT PRIMARY KEY NOT NULL,
                    givenName TEXT NOT NULL,
                    familyName TEXT NOT NULL,
                    grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 12)
                );
                CREATE TABLE enrollment (
                    classId TEXT NOT NULL REFERENCES schoolClass(id),
                    studentId TEXT NOT NULL REFERENCES student(id),
                    PRIMARY KEY (classId, studentId)
                ) WITHOUT ROWID;
                CREATE INDEX enrollment_student ON enrollment(studentId);

                CREATE TABLE officer (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    agency TEXT,
                    certifiedUntil TEXT
                );

                -- One taught lesson. A voided session stays, with who voided it and why; only
                -- sessions that are not voided count in reports and block a second log.
                CREATE TABLE session (
                    id INTEGER PRIMARY KEY,
                    classId TEXT NOT NULL REFERENCES schoolClass(id),
                    lessonId TEXT NOT NULL,
                    lessonVersion INTEGER NOT NULL,
                    officerId TEXT NOT NULL REFERENCES officer(id),
                    date TEXT NOT NULL,
                    minutes INTEGER NOT NULL CHECK (minutes > 0),
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
                    sessionId INTEGER NOT NULL REFERENCES session(id),
                    studentId TEXT NOT NULL REFERENCES student(id),
                    status TEXT NOT NULL CHECK (status IN ('present', 'late', 'absent', 'excused')),
                    PRIMARY KEY (sessionId, studentId)
                ) WITHOUT ROWID;
                CREATE INDEX mark_student ON mark(studentId);

                -- Every attempt is kept; a student's result for a quiz is the best one.
                CREATE TABLE quizAttempt (
                    id INTEGER PRIMARY KEY,
                    sessionId INTEGER NOT NULL REFERENCES session(id),
                    studentId TEXT NOT NULL REFERENCES student(id),
                    attempt INTEGER NOT NULL,
                    responses TEXT NOT NULL,
                    earned INTEGER NOT NULL,
                    possible INTEGER NOT NULL,
                    passed INTEGER NOT NULL,
                    recordedAt TEXT NOT NULL,
                    recordedBy TEXT NOT NULL,
                    UNIQUE (sessionId, studentId, attempt)
                );
                CREATE INDEX quizAttempt_student ON quizAttempt(studentId);
                """)
        }
        migrator.registerMigration("v1 certificates") { db in
            // A certificate is never deleted: an expired one stays as history beside a newer one,
            // a revoked one keeps who revoked it and why. The code is random (not derived from
            // the student), stored without dashes in upper case.
            try db.execute(sql: """
                CREATE TABLE certificate (
                    code TEXT PRIMARY KEY NOT NULL,
                    studentId TEXT NOT NULL REFERENCES student(id),
                    programId TEXT NOT NULL REFERENCES program(id),
                    programVersion INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    schoolId TEXT REFERENCES school(id),
                    issuedOn TEXT NOT NULL,
                    validUntil TEXT,
                    issuedAt TEXT NOT NULL,
                    issuedBy TEXT NOT NULL,
                    revokedOn TEXT,
                    revokedAt TEXT,
                    revokedBy TEXT,
                    revocationReason TEXT
                );
                CREATE INDEX certificate_student ON certificate(studentId, programId);
                CREATE INDEX certificate_program ON certificate(programId, issuedOn);
                """)
        }
        migrator.registerMigration("v2 audit trail refuses replacement") { db in
            // `INSERT OR REPLACE` (or `REPLACE INTO`) with an id already taken deletes the old
            // event without firing a delete trigger and writes another in its place: a rewritten
            // event under the old id. A BEFORE INSERT trigger runs before that conflict is
            // resolved, so refusing an id already taken closes the route. Ordinary inserts let
            // SQLite choose the id (NEW.id is NULL here) and pass.
            try db.execute(sql: """
                CREATE TRIGGER auditEvent_noReplace BEFORE INSERT ON auditEvent
                WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM auditEvent WHERE id = NEW.id)
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                """)
        }

        migrator.registerMigration("quiz attempt voiding") { db in
            // An attempt recorded in error is voided, never deleted: it stays with who voided it,
            // when and why, and no longer counts for the best score, eligibility or reports.
            try db.execute(sql: """
                ALTER TABLE quizAttempt ADD COLUMN voidedAt TEXT;
                ALTER TABLE quizAttempt ADD COLUMN voidedBy TEXT;
                ALTER TABLE quizAttempt ADD COLUMN voidReason TEXT;
                """)
        }

        migrator.registerMigration("v2 roster grade codes and identifiers") { db in
            // Issue 10: a pre-K (PK), transitional kindergarten (TK), ungraded (UG) or ungiven
            // grade refused the whole district. `grade` stays K–12 (0–12) where there is one and
            // is NULL otherwise; `gradeCode` is the grade as shown and exported (K, 1…12, a CEDS
            // code, or ''). `identifier` keeps the district's student number. SQLite cannot change a CHECK, so the table is rebuilt (the usual
            // steps: foreign keys are off during GRDB migrations and checked afterwards).
            try db.execute(sql: """
                CREATE TABLE student_v2 (
                    id TEXT PRIMARY KEY NOT NULL,
                    givenName TEXT NOT NULL,
                    familyName TEXT NOT NULL,
                    grade INTEGER CHECK (grade IS NULL OR grade BETWEEN 0 AND 12),
                    gradeCode TEXT NOT NULL DEFAULT '',
                    -- The district's own student number (OneRoster users.csv `identifier`).
                    identifier TEXT
                );
                INSERT INTO student_v2 (rowid, id, givenName, familyName, grade, gradeCode)
                    SELECT rowid, id, givenName, familyName, grade,
                           CASE grade WHEN 0 THEN 'K' ELSE CAST(grade AS TEXT) END FROM student;
                DROP TABLE student;
                ALTER TABLE student_v2 RENAME TO student;
                CREATE INDEX student_identifier ON student(identifier) WHERE identifier IS NOT NULL;
                """)
        }
        migrator.registerMigration("badges: directory opt-out, issuer identity, recipient salt") { db in
            // Issue 14. A family that opted out of directory information (FERPA): public
            // verification of the student's certificates then says the status and the program
            // alone, never initials or dates. Set by `bridges student opt-out`; a roster import
            // leaves it as it is.
            try db.execute(sql: "ALTER TABLE student ADD COLUMN directoryOptOut INTEGER NOT NULL DEFAULT 0")
            // The one issuer that signs this database's Open Badges: its name, web address and
            // public key. The private key is never stored here (it lives in a 0600 file; keyPath
            // says where it was written), so a backup or export never carries it.
            try db.execute(sql: """
                CREATE TABLE issuer (
                    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                    name TEXT NOT NULL,
                    url TEXT NOT NULL,
                    keyId TEXT NOT NULL,
                    publicJwk TEXT NOT NULL,
                    keyPath TEXT NOT NULL,
                    createdAt TEXT NOT NULL,
                    createdBy TEXT NOT NULL
                );
                """)
            // The random salt of a certificate's Open Badge recipient hash (sha256 of the student
            // id and this salt), drawn the first time its badge is made, so that every export of
            // it names the same recipient and no two certificates can be linked by the hash.
            try db.execute(sql: "ALTER TABLE certificate ADD COLUMN recipientSalt TEXT")
            // Its place in the issuer's revocation status list (Bitstring Status List), given with
            // the salt, in order: 0, 1, 2 … so the published list is as short as it can be.
            try db.execute(sql: """
                ALTER TABLE certificate ADD COLUMN statusIndex INTEGER;
                CREATE UNIQUE INDEX certificate_statusIndex ON certificate(statusIndex) WHERE statusIndex IS NOT NULL;
                """)
        }

        migrator.registerMigration("v3 audit trail hash chain") { db in
            // Issue 15: each event carries `chainHash`, the SHA-256 of the previous event's hash
            // and its own fields (AuditChain says the encoding), so an event rewritten, removed or
            // slipped in with the sqlite3 shell breaks the chain where it happened. `erased` keeps
            // the digests of free-text fields an erasure blanked (`field=hex;…`), so the chain
            // still verifies without a student's names. The events already stored are chained
            // here, in order. The trigger that refuses updates now lets one kind through: an
            // erasure, which only blanks personal fields and records their digests, once.
            try db.execute(sql: """
                ALTER TABLE auditEvent ADD COLUMN chainHash TEXT;
                ALTER TABLE auditEvent ADD COLUMN erased TEXT;
                DROP TRIGGER auditEvent_noUpdate;
                """)
            try chainExistingEvents(db)
            try db.execute(sql: """
                CREATE TRIGGER auditEvent_noUpdate BEFORE UPDATE ON auditEvent
                WHEN NOT (
                    OLD.erased IS NULL AND NEW.erased IS NOT NULL
                    AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.actor IS OLD.actor AND NEW.action IS OLD.action
                    AND NEW.entity IS OLD.entity AND NEW.entityId IS OLD.entityId AND NEW.field IS OLD.field
                    AND NEW.chainHash IS OLD.chainHash
                    AND (NEW.oldValue IS NULL OR NEW.oldValue IS OLD.oldValue) AND (NEW.newValue IS NULL OR NEW.newValue IS OLD.newValue)
                    AND (NEW.reason IS NULL OR NEW.reason IS OLD.reason) AND (NEW.detail IS NULL OR NEW.detail IS OLD.detail))
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                """)
        }

        migrator.registerMigration("v3 student erasure and legal hold") { db in
            // Issue 15. `erasedAt`: when the student's personal data was replaced by a pseudonym
            // (`bridges student erase`); the row stays, so marks, quiz attempts and certificates
            // still count. `holdReason`: set while the student's records are under a legal hold
            // (`bridges student hold`); erasure and retention purges leave them alone meanwhile.
            try db.execute(sql: """
                ALTER TABLE student ADD COLUMN erasedAt TEXT;
                ALTER TABLE student ADD COLUMN holdReason TEXT;
                """)
        }

        migrator.registerMigration("disclosure log") { db in
            // Issue 15 (FERPA 34 CFR 99.32): every report, page or credential that leaves Bridges
            // with students' records in it. Written in the same transaction that publishes the
            // output, after its rows were written; append-only like the audit trail. A student's
            // disclosures are found through `disclosedStudent` (one row per student named in an
            // output), keyed by student first so that `disclosure list --student` is a range scan.
            // Student ids are not foreign keys: the log outlives whatever is done to the roster.
            // (A replacing insert into disclosedStudent can only write the same two keys again,
            // so it needs no trigger of its own; a replaced disclosure row would, and has one.)
            try db.execute(sql: """
                CREATE TABLE disclosure (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    filters TEXT NOT NULL,
                    rowCount INTEGER NOT NULL,
                    destination TEXT NOT NULL,
                    purpose TEXT,
                    namesStudents INTEGER NOT NULL
                );
                CREATE INDEX disclosure_at ON disclosure(at);
                CREATE TABLE disclosedStudent (
                    studentId TEXT NOT NULL,
                    disclosureId INTEGER NOT NULL REFERENCES disclosure(id),
                    PRIMARY KEY (studentId, disclosureId)
                ) WITHOUT ROWID;
                CREATE TRIGGER disclosure_noUpdate BEFORE UPDATE ON disclosure
                BEGIN SELECT RAISE(ABORT, 'the disclosure log is append-only'); END;
                CREATE TRIGGER disclosure_noDelete BEFORE DELETE ON disclosure
                BEGIN SELECT RAISE(ABORT, 'the disclosure log is append-only'); END;
                CREATE TRIGGER disclosure_noReplace BEFORE INSERT ON disclosure
                WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM disclosure WHERE id = NEW.id)
                BEGIN SELECT RAISE(ABORT, 'the disclosure log is append-only'); END;
                CREATE TRIGGER disclosedStudent_noUpdate BEFORE UPDATE ON disclosedStudent
                BEGIN SELECT RAISE(ABORT, 'the disclosure log is append-only'); END;
                CREATE TRIGGER disclosedStudent_noDelete BEFORE DELETE ON disclosedStudent
                BEGIN SELECT RAISE(ABORT, 'the disclosure log is append-only'); END;
                """)
        }

        migrator.registerMigration("server accounts, tokens, sign-ins and idempotency keys") { db in
            // Issue 12 (`bridges serve`). Passwords only as bcrypt hashes; API tokens and sign-in
            // cookies only as the SHA-256 of their secret, so a copy of the database signs no one
            // in. Sign-ins live here, not in a server's memory, so every server on the database
            // knows them. `idempotencyKey` ties a client's Idempotency-Key to the session it
            // logged; the session id is not a foreign key, as a retention purge may remove the
            // session and the key must not stop it.
            try db.execute(sql: """
                CREATE TABLE account (
                    name TEXT PRIMARY KEY,
                    role TEXT NOT NULL,
                    officerId TEXT,
                    passwordHash TEXT NOT NULL,
                    disabled INTEGER NOT NULL DEFAULT 0,
                    failedAttempts INTEGER NOT NULL DEFAULT 0,
                    lockedUntil TEXT,
                    createdAt TEXT NOT NULL
                );
                CREATE TABLE accountSchool (
                    account TEXT NOT NULL REFERENCES account(name),
                    schoolId TEXT NOT NULL,
                    PRIMARY KEY (account, schoolId)
                ) WITHOUT ROWID;
                CREATE TABLE apiToken (
                    id INTEGER PRIMARY KEY,
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
                ) WITHOUT ROWID;
                CREATE INDEX signIn_account ON signIn(account);
                CREATE TABLE idempotencyKey (
                    caller TEXT NOT NULL,
                    key TEXT NOT NULL,
                    bodyHash TEXT NOT NULL,
                    sessionId INTEGER NOT NULL,
                    createdAt TEXT NOT NULL,
                    PRIMARY KEY (caller, key)
                ) WITHOUT ROWID;
                """)
        }

        return migrator
    }
}
