import ArgumentParser

/// `bridges`: the records of school safety education, from lesson plans to certificates.
@main
struct Bridges: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridges",
        abstract: "Keep the records of school safety education: lesson plans, rosters, sessions, quizzes, certificates and reports.",
        discussion: """
            The database is --db PATH, else $BRIDGES_DB, else bridges.sqlite in the current folder. \
            --db and --actor may also come before the command: bridges --db term.sqlite roster list.
            Control characters in stored text are shown escaped, as \\u{1B}; tables cut cells at 40 \
            columns with "…".
            Exit status: 0 done, 64 wrong usage, 65 bad input data (nothing was written), 66 a named input \
            does not exist, 74 an I/O error, 75 the database is busy (try again), 1 a failed verification, \
            70 an internal error.
            """,
        version: "0.1.0",
        subcommands: [LessonCommand.self, RosterCommand.self, OfficerCommand.self, SessionCommand.self, QuizCommand.self, CertificateCommand.self, IssuerCommand.self, StudentCommand.self, RetentionCommand.self, DemoCommand.self, ExportCommand.self, DisclosureCommand.self, DoctorCommand.self, BackupCommand.self, DatabaseCommand.self, UpgradeCommand.self, UserCommand.self, TokenCommand.self, ServeCommand.self]
    )
}
