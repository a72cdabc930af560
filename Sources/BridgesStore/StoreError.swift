import BridgesCore
import Foundation

/// What can go wrong with the database, said so that a school's IT person knows what to do.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// Another process held the database for longer than the busy timeout.
    case busy(path: String)
    case missing(path: String)
    case notADatabase(path: String, why: String)
    case io(path: String, why: String)
    case full(path: String)
    case readOnly(path: String)
    /// An SQLite database of another program: left untouched.
    case foreign(path: String, tables: [String])
    /// Written by a newer Bridges: it records migrations this one does not know.
    case newerVersion(path: String, migrations: [String])
    /// Written by an earlier Bridges, and the command only reads: it must be brought up to date
    /// by a command that may write.
    case olderVersion(path: String)
    /// A write refused by the rules of the data (a constraint, a domain check in a transaction).
    case rejected(String)
    /// A database server that cannot be reached or refused the connection (not running, the
    /// network down, a wrong password): nothing was read or written; trying again may work.
    case unavailable(path: String, why: String)

    /// The sentence for a person (the database's name as given, the next step as an action).
    public var message: Message {
        switch self {
        case .busy(let path): "the database \(path) is busy with another command; try again in a moment"
        case .missing(let path): "there is no database at \(path); check the name given with \(field: .database) (or $BRIDGES_DB), or start one by loading lesson plans (\(.lessonLoad) Curricula) or importing a roster"
        case .notADatabase(let path, let why): "\(path) cannot be used as the database: \(why)"
        case .io(let path, let why): "cannot use the database \(path): \(why)"
        case .full(let path): "could not write to \(path): the disk is full or a file-size limit was reached; nothing was written. Free some space and try again"
        case .readOnly(let path): "the database \(path) is read-only for you; nothing was written"
        case .foreign(let path, let tables):
            "\(path) is an SQLite database of another program (its tables: \(tables.prefix(5).joined(separator: ", "))\(tables.count > 5 ? ", …" : "")), not a Bridges database; it was left untouched. Name a Bridges database with \(field: .database), or a new file to start one"
        case .newerVersion(let path, let migrations):
            "\(path) was written by a newer version of Bridges (it records the change\(migrations.count == 1 ? "" : "s") \(migrations.prefix(3).map { "'\($0)'" }.joined(separator: ", ")) that this version does not know); nothing was read or changed. Use that version of bridges, or a newer one"
        case .olderVersion(let path):
            "\(path) was written by an earlier version of Bridges and must be brought up to date before it can be read: run `\(.upgrade) \(field: .database) \(path)` (or any command that records something); nothing was changed"
        case .rejected(let why): "the database refused the change: \(why); nothing was written"
        case .unavailable(let path, let why): "cannot reach the database \(path): \(why); nothing was read or written. Try again in a moment; if it goes on, ask whoever runs the database server"
        }
    }

    public var description: String { message.description }
}
