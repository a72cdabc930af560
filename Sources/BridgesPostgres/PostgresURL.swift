import BridgesStore
import Foundation

/// Where a PostgreSQL database is, as a person names it: `postgres://USER:PASSWORD@HOST:PORT/DATABASE`
/// (or `postgresql://`), the libpq form every PostgreSQL tool takes.
///
/// Understood in the query: `host=/path/to/socket/folder` (a Unix socket, as libpq reads it),
/// `port=PORT` (as libpq: the port, or for a socket the number in its file name `.s.PGSQL.PORT`),
/// `sslmode=disable|prefer|require|verify-full` (`prefer` when not given, as libpq), `schema=NAME`, the
/// PostgreSQL schema Bridges keeps its tables in (`bridges` when not given; several Bridges
/// databases can share one PostgreSQL database under different schemas), and
/// `busy_timeout=SECONDS`, how long a write waits for another process's write before it says the
/// database is busy (15 when not given). Anything else in the query is refused by name, so a
/// misspelt option never passes silently.
package struct PostgresURL: Sendable, Equatable {
    package enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The folder of the socket; the file in it is `.s.PGSQL.PORT`.
        case socket(folder: String, port: Int)
    }
    package enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require
        /// TLS with the server's certificate checked against the system's trusted authorities
        /// and its name (libpq's `verify-full`); `prefer` and `require` check neither, as libpq.
        case verifyFull = "verify-full"
    }

    package var endpoint: Endpoint
    package var user: String
    package var password: String?
    package var database: String
    package var tls: TLSMode
    package var schema: String
    /// Whole seconds a write waits for the writers' turn before `busy` (`busy_timeout=`).
    package var busyTimeout: Int = Self.defaultBusyTimeout

    /// How long a write waits for another's when the address does not say: as SQLite's store.
    package static let defaultBusyTimeout = 15

    /// Whether `text` names a PostgreSQL database rather than a file.
    package static func names(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Parses `text`; the reason it cannot be used otherwise, said for a person.
    /// `defaultUser` stands in when the URL names no user (libpq takes the login name).
    package init(_ text: String, defaultUser: String) throws(StoreError) {
        func refuse(_ why: String) -> StoreError {
            .notADatabase(path: Self.redacted(text), why: why)
        }
        guard Self.names(text), let components = URLComponents(string: text) else {
            throw refuse("it is not a PostgreSQL address; write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        user = components.user.map { $0.removingPercentEncoding ?? $0 } ?? defaultUser
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        var path = components.path
        if path.hasPrefix("/") { path.removeFirst() }
        database = path.removingPercentEncoding ?? path
        if database.isEmpty { database = user }
        var port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw refuse("the port \(port) is out of range") }
        var socketFolder: String?
        var tlsMode = TLSMode.prefer
        var schemaName = "bridges"
        var busySeconds = Self.defaultBusyTimeout
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "host":
                guard value.hasPrefix("/") else { throw refuse("host= in the query names a socket folder and must start with /") }
                socketFolder = value
            case "port":
                guard value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let number = Int(value), (1...65535).contains(number) else {
                    throw refuse("port=\(value) must be a port number from 1 to 65535")
                }
                if let given = components.port, given != number {
                    throw refuse("it names two ports, \(given) and port=\(number); keep one")
                }
                port = number
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw refuse("sslmode=\(value) is not understood; use disable, prefer, require or verify-full")
                }
                tlsMode = mode
            case "schema":
                guard Self.isPlainName(value) else {
                    throw refuse("schema=\(value) must be a plain name: lower-case letters, digits and _, starting with a letter, at most 63 characters")
                }
                schemaName = value
            case "busy_timeout":
                guard value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let seconds = Int(value), (1...3600).contains(seconds) else {
                    throw refuse("busy_timeout=\(value) must be a whole number of seconds from 1 to 3600")
                }
                busySeconds = seconds
            default:
                throw refuse("\(item.name)= in the query is not understood (Bridges reads host, port, sslmode, schema and busy_timeout)")
            }
        }
        if let socketFolder {
            endpoint = .socket(folder: socketFolder, port: port)
        } else {
            let host = components.host.map { $0.removingPercentEncoding ?? $0 } ?? ""
            guard !host.isEmpty else { throw refuse("it names no host; write postgres://USER@HOST/DATABASE, or ?host=/socket/folder") }
            endpoint = .tcp(host: host, port: port)
        }
        tls = tlsMode
        schema = schemaName
        busyTimeout = busySeconds
    }

    /// A name PostgreSQL takes unquoted and that cannot smuggle SQL.
    package static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.utf8.count <= 63 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The address as people see it: never the password. A socket's port is said in the query
    /// (`?host=/run/postgresql&port=5433`), as libpq's own tools write it.
    package var displayName: String {
        var text = "postgres://\(user)@"
        var query: [String] = []
        switch endpoint {
        case .tcp(let host, let port): text += host.contains(":") ? "[\(host)]" : host; if port != 5432 { text += ":\(port)" }
        case .socket(let folder, let port):
            query.append("host=\(folder)")
            if port != 5432 { query.append("port=\(port)") }
        }
        text += "/\(database)"
        if schema != "bridges" { query.append("schema=\(schema)") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// `text` with any password taken out, for an error about an address that did not parse.
    package static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound < at else { return text }
        let userInfo = text[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":…" + String(text[at...])
    }
}
