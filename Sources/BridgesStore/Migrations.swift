import GRDB

extension BridgesDatabase {
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
        return migrator
    }
}
