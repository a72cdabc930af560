import ArgumentParser
import BridgesKit
import BridgesServer
import Foundation

/// `bridges serve`: the web server of server.md, on the same database as every command.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the pages and the JSON API to signed-in accounts (see bridges user add).",
        discussion: """
            One line per request goes to standard error (method, path, status, milliseconds, account). \
            SIGTERM or SIGINT (Ctrl-C) stops it after the requests in flight. TLS is the job of a proxy in \
            front of it; behind one, --public-url https://… makes the sign-in cookie Secure.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("The address to listen on (default: 127.0.0.1, this machine only).", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to listen on (0: any free one, said on standard error).", valueName: "port"))
    var port = 8080

    @Option(help: ArgumentHelp("The address people reach the server by, e.g. https://bridges.district.example.", valueName: "url"))
    var publicURL: String?

    @Option(name: .customLong("trusted-proxy"), help: ArgumentHelp(
        "A proxy in front of the server (repeatable): requests from this address are counted by the address it adds to X-Forwarded-For.",
        valueName: "address"))
    var trustedProxies: [String] = []

    func validate() throws {
        for address in trustedProxies where !Self.isAddress(address) {
            throw ValidationError("--trusted-proxy '\(address)' is not an IP address (e.g. 127.0.0.1 or ::1)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port; give 1 to 65535 (or 0 for any free one)") }
        if let publicURL, !(publicURL.hasPrefix("https://") || publicURL.hasPrefix("http://")) {
            throw ValidationError("--public-url '\(publicURL)' is not an http:// or https:// address")
        }
    }

    func run() async throws {
        try await Console.run {
            // Requests run side by side: on PostgreSQL, each may hold a connection of its own.
            let records = try await Registrar(database.location(connections: 16))
            // The server's own rules read the clock Kit reads.
            let clock = records.clock
            let server = BridgesServer(
                records: records, settings: ServerSettings(
                    host: host, port: port, publicURL: publicURL, trustedProxies: Set(trustedProxies), clock: { clock.now }),
                log: { line in Console.writeStandardError(line + "\n") })
            let location = database.name
            let host = self.host
            do {
                try await server.run { port in
                    Console.say("bridges serve: listening on http://\(host):\(port) with the database \(location); stop with Ctrl-C")
                }
            } catch {
                throw BridgesError.io("the server stopped: \(error)")
            }
            Console.say("bridges serve: stopped")
        }
    }

    /// An IPv4 or IPv6 address as the server sees its peers (no names: a name is not what a peer is).
    static func isAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
