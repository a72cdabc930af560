import BridgesStore
import Foundation
import PostgresNIO

extension StoreError {
    /// A failure of PostgreSQL or of the connection to it, said for the person at `name`.
    ///
    /// SQLSTATE classes (PostgreSQL's Appendix A): 08 connection, 28 authorization, 3D no such
    /// database, 53 insufficient resources, 57 operator intervention (a shutdown), 40 a
    /// transaction rolled back (serialization, deadlock), 55P03 a lock not had in time, 42501
    /// not allowed, 23 a constraint.
    init(postgres error: any Error, name: String) {
        if let error = error as? StoreError {
            self = error
            return
        }
        if error is ConnectionLost {
            self = .unavailable(path: name, why: "the server ended the connection part-way")
            return
        }
        guard let error = error as? PSQLError else {
            if error is CancellationError {
                self = .unavailable(path: name, why: "the work was cancelled")
            } else {
                self = .io(path: name, why: String(describing: error))
            }
            return
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "PostgreSQL error \(state)"
            let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
            switch state {
            case "55P03", "40001", "40P01": self = .busy(path: name)
            case "53100": self = .full(path: name)
            case "25006", "42501": self = .readOnly(path: name)
            case "3D000":
                self = .notADatabase(path: name, why: "the PostgreSQL server has no such database (\(message)); whoever runs the server makes it, once (createdb)")
            case "28000", "28P01": self = .unavailable(path: name, why: "PostgreSQL refused the sign-in (\(message)); check the user and password in the address")
            case "57P01", "57P02", "57P05":
                // The backend was ended under the command (pg_terminate_backend, a shutdown, a
                // crash of another backend, an idle timeout): its transaction is rolled back.
                self = .unavailable(path: name, why: "the server ended the connection part-way (PostgreSQL said: \(message))")
            case "57014":
                self = .unavailable(path: name, why: "the server cancelled the work part-way (PostgreSQL said: \(message))")
            case _ where state.hasPrefix("08") || state.hasPrefix("57") || state.hasPrefix("53"):
                self = .unavailable(path: name, why: message)
            case _ where state.hasPrefix("23") || state == "P0001":
                self = .rejected(message + detail)
            case _ where state.hasPrefix("XX") || state.hasPrefix("58"):
                self = .io(path: name, why: message + "; if this was a change, nothing of it was kept")
            default:
                self = .rejected(message + detail)
            }
        case .serverClosedConnection, .uncleanShutdown, .connectionError, .clientClosedConnection, .poolClosed:
            // The server's own error (FATAL 57P01 …) carried inside a closed connection's: said as itself.
            if let underlying = error.underlying as? PSQLError {
                self = StoreError(postgres: underlying, name: name)
                return
            }
            if error.code == .serverClosedConnection || error.code == .uncleanShutdown {
                self = .unavailable(path: name, why: "the server ended the connection part-way" + (error.underlying.map { " (\(Self.connectionFailure($0)))" } ?? ""))
                return
            }
            self = .unavailable(path: name, why: Self.connectionFailure(error.underlying))
        case .sslUnsupported:
            self = .unavailable(path: name, why: "the server does not offer TLS, which the address requires (sslmode=require)")
        case .authMechanismRequiresPassword:
            self = .unavailable(path: name, why: "the server asks for a password, and the address gives none")
        case .unsupportedAuthMechanism, .saslError:
            self = .unavailable(path: name, why: "the server asks for a way of signing in Bridges does not speak (\(error.code))")
        default:
            self = .io(path: name, why: "\(error.code)")
        }
    }

    /// Why a connection failed, in a sentence: NIO's errors name sockets and errno.
    static func connectionFailure(_ underlying: (any Error)?) -> String {
        guard let underlying else { return "the connection was closed (the server may have restarted)" }
        if let server = underlying as? PSQLError {
            if let message = server.serverInfo?[.message] { return message }
            return "the connection was closed (the server may have restarted)"
        }
        let text = String(describing: underlying)
        if text.contains("Connection refused") { return "nothing answers there (is PostgreSQL running, on that host and port?)" }
        if text.contains("No such file or directory") { return "there is no PostgreSQL socket in that folder (is the server running, with that port?)" }
        if text.contains("imed out") || text.contains("timeout") { return "the server did not answer in time" }
        if text.contains("resolve") || text.contains("Name or service not known") || text.contains("NXDOMAIN") { return "the host name cannot be found" }
        if text.contains("Permission denied") { return "this user may not open that socket" }
        return text
    }
}
