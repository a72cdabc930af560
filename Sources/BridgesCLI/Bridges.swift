import ArgumentParser

/// `bridges`: the records of school safety education, from lesson plans to certificates.
@main
struct Bridges: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridges",
        abstract: "Keep the records of school safety education: lesson plans, rosters, sessions, quizzes, certificates and reports.",
        discussion: """
            The database is --db PATH, else $BRIDGES_DB, else bridges.sqlite in the current folder.
            Exit status: 0 done, 64 wrong usage, 65 bad input data (nothing was written), 66 a named input \
            does not exist, 74 an I/O error, 75 the database is busy (try again), 1 a failed verification, \
            70 an internal error.
            """,
        version: "0.1.0",
        subcommands: [LessonCommand.self, RosterCommand.self, OfficerCommand.self, SessionCommand.self, QuizCommand.self, CertificateCommand.self, IssuerCommand.self, StudentCommand.self, DemoCommand.self, ExportCommand.self, DoctorCommand.self, BackupCommand.self]
    )
}
