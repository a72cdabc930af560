import ArgumentParser
import BridgesKit
import BridgesPostgres
import BridgesSQLite
import BridgesSystem
import Foundation

/// `--db PATH`, else `$BRIDGES_DB`, else `bridges.sqlite` in the current folder. A
/// `postgres://` (or `postgresql://`) address names a database on a PostgreSQL server instead.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database file, or a postgres://USER@HOST/DATABASE address (default: $BRIDGES_DB, else bridges.sqlite here).",
        valueName: "path"))
    var db: String?

    var path: String {
        if let db { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["BRIDGES_DB"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "bridges.sqlite"
    }

    /// Whether the database is on a PostgreSQL server.
    var isPostgres: Bool { PostgresURL.names(path) }

    /// The database as messages name it: the path, or the address without its password.
    var name: String { Self.name(of: path) }

    /// The database the command works on: the embedded SQLite file at `path`, or PostgreSQL.
    /// `connections`: how many a PostgreSQL store may hold at once (a server's requests in
    /// parallel; a command needs one).
    func location(connections: Int = 1) throws(BridgesError) -> DatabaseLocation {
        try Self.location(of: path, connections: connections)
    }

    /// `text` (a path or a postgres:// address) as messages name it.
    static func name(of text: String) -> String {
        guard PostgresURL.names(text) else { return text }
        return (try? PostgresURL(text, defaultUser: ActorOptions.loginName).displayName) ?? PostgresURL.redacted(text)
    }

    /// The database `text` names: an SQLite file, or a PostgreSQL address.
    static func location(of text: String, connections: Int = 1) throws(BridgesError) -> DatabaseLocation {
        let temporaryFolder = FileManager.default.temporaryDirectory.path
        guard PostgresURL.names(text) else {
            return DatabaseLocation(SQLiteLocation(path: text, temporaryFolder: temporaryFolder), temporaryFolder: temporaryFolder, clock: .system)
        }
        do {
            let url = try PostgresURL(text, defaultUser: ActorOptions.loginName)
            return DatabaseLocation(
                PostgresLocation(url: url, maximumConnections: connections, programEnvironment: ProcessInfo.processInfo.environment),
                temporaryFolder: temporaryFolder, clock: .system)
        } catch {
            throw BridgesError.usage(error.message)
        }
    }

    var location: DatabaseLocation {
        get throws(BridgesError) { try location() }
    }
}

extension WallClock {
    /// The machine's clock and time zone: the time the command line hands Kit (and the server).
    static let system = WallClock(timeZone: .current) { Date() }
}

extension ReportDestination {
    /// Standard output (`--out -`): the command line owns it and hands it to Kit as a sink.
    static var standardOutput: ReportDestination {
        .sink(DescriptorSink(descriptor: STDOUT_FILENO), name: "standard output")
    }

    /// `Exports/` in the working folder, where reports go unless `--out` names a place (cli.md).
    static var exportsFolder: ReportDestination { .defaultFolder(.exports) }

    /// The working folder, where printed certificate pages go unless `--out` names a place (as
    /// `certificate print CODE` writes), a file in it shown by its name.
    static var workingFolder: ReportDestination { .defaultFolder(.workingFolder) }

    /// The place `--out` names (a file, or a folder for the usual name), as typed: resolved
    /// here, since Kit resolves nothing against a working folder. A relative one goes to Kit from
    /// the root with the working folder it was typed in, so that messages and the disclosure log
    /// name it as typed (`../x.csv`, `sub/attendance-….csv`); an absolute one is shown as it is.
    /// An empty one is refused (`accepted` says what may be named).
    static func typed(_ text: String, accepted: String = "a file") throws(BridgesError) -> ReportDestination {
        guard !text.isEmpty else { throw .usage("--out is empty; name \(accepted), or - for standard output") }
        return text.hasPrefix("/") ? .path(text) : .path(absolutePath(text), shownIn: .workingFolder)
    }
}

extension ReportFolder {
    /// `Exports/` in the working folder, resolved here (Kit resolves nothing against a working
    /// folder) and shown to people as `Exports/…`, as typed where the command runs.
    static var exports: ReportFolder { typed("Exports") }

    /// The working folder, a file in it shown by its path from there (`x.csv`, `../x.csv`).
    static var workingFolder: ReportFolder {
        ReportFolder(path: FileManager.default.currentDirectoryPath, shownAs: "")
    }

    /// A folder named on the command line (`--exports`), from the root, shown as typed.
    static func typed(_ text: String) -> ReportFolder {
        ReportFolder(path: absolutePath(text), shownAs: text)
    }
}

/// `path` from the root: a relative one is taken from the working folder (Kit is handed
/// absolute paths where it records them).
func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    let here = FileManager.default.currentDirectoryPath
    return here.hasSuffix("/") ? here + path : here + "/" + path
}

extension Caller {
    /// The person at the command line, for what a command reads: the local user with every right
    /// (`$BRIDGES_ACTOR`, else the login name, as for a change without `--actor`).
    static var commandLine: Caller { .local(ActorOptions.defaultName) }
}

/// `--actor NAME`, else `$BRIDGES_ACTOR`, else the login name: who a write is recorded as.
struct ActorOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Who is making this change, for the audit trail (default: $BRIDGES_ACTOR, else your login name).", valueName: "name"))
    var actor: String?

    var name: String {
        if let actor, !actor.trimmingCharacters(in: .whitespaces).isEmpty { return actor }
        return Self.defaultName
    }

    /// Without `--actor`: `$BRIDGES_ACTOR`, else the login name.
    static var defaultName: String {
        let environment = ProcessInfo.processInfo.environment
        if let fromEnvironment = environment["BRIDGES_ACTOR"], !fromEnvironment.isEmpty { return fromEnvironment }
        return loginName
    }

    /// The login name (also the PostgreSQL user when an address names none, as for psql).
    static var loginName: String {
        if let login = getlogin() { return String(cString: login) }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    }
}
