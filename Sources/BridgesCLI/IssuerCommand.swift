import ArgumentParser
import BridgesKit

/// `bridges issuer …`: who signs the certificates' Open Badges.
struct IssuerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issuer",
        abstract: "Make and show the issuer identity that signs Open Badges.",
        subcommands: [Init.self, Show.self, StatusListExport.self]
    )
}

extension IssuerCommand {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Make the issuer's ES256 (P-256) key pair: the private key in a new 0600 file, the public key as a JWK.",
            discussion: """
                The private key is written to --key (default: beside the database, DB.issuer-key.pem), never into \
                the database, an Exports folder or a git work tree, and an existing file is never replaced. Keep it \
                safe and out of backups others can read: whoever holds it can sign certificates in your name. The \
                public key goes to --jwk (default: beside the key, DB.issuer.jwk); publish it at your --url.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions
        @Option(parsing: .unconditional, help: ArgumentHelp("The district or school, as certificates name it.", valueName: "name")) var name: String
        @Option(help: ArgumentHelp("Its public https address.", valueName: "url")) var url: String
        @Option(help: ArgumentHelp("Where to write the private key.", valueName: "path")) var key: String?
        @Option(help: ArgumentHelp("Where to write the public key (JWK).", valueName: "path")) var jwk: String?

        func run() async throws {
            try await Console.run {
                if key == nil && database.isPostgres {
                    throw BridgesError.usage("the private key is written beside an SQLite database by default; with a PostgreSQL database, say where it goes with --key PATH (a file on this machine, readable by you only)")
                }
                let records = try await Registrar(database.location)
                // Kit is handed absolute paths: relative ones are from the working folder.
                let keyPath = absolutePath(key ?? Registrar.defaultIssuerKeyPath(besideDatabaseFile: database.path))
                let jwkPath = absolutePath(jwk ?? Registrar.defaultIssuerJWKPath(keyPath: keyPath))
                let issuer = try await records.createIssuer(name: name, url: url, keyPath: keyPath, jwkPath: jwkPath, reportFolder: .exports, caller: .local(actor.name))
                Console.say("wrote the private key to \(issuer.keyPath) (readable by you only; keep it out of shared folders and backups)")
                Console.say("wrote the public key to \(jwkPath); publish it at \(issuer.url)")
                Console.result("issuer \(issuer.name) <\(issuer.url)>, key id \(issuer.keyID)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the issuer: name, address, key id, and the public key (JWK).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                guard let issuer = try await records.issuer(caller: .commandLine) else {
                    throw BridgesError.notFound(.issuer, "this database has no issuer yet; make one with: bridges issuer init --name NAME --url URL")
                }
                Console.result("""
                    issuer:  \(issuer.name)
                    url:     \(issuer.url)
                    key id:  \(issuer.keyID)
                    private key file: \(issuer.keyPath)
                    public key (JWK): \(issuer.publicJWK)
                    """)
            }
        }
    }

    struct StatusListExport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status-list",
            abstract: "Write the signed revocation list (a Bitstring Status List credential) that badges point to.",
            discussion: """
                One bit per certificate that has a badge, set when it is revoked; signed with the issuer's key. Publish it \
                at the address badges name (URL/status/revocation) after every revocation and before it lapses \
                (--valid-days, default 30): verifiers refuse a lapsed list. Writes revocation-status-list.jwt unless \
                --out says otherwise (- is standard output).
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: ArgumentHelp("Where to write it.", valueName: "path")) var out: String?
        @Option(help: ArgumentHelp("The issuer's private key (default: where issuer init wrote it).", valueName: "path")) var key: String?
        @Option(name: .customLong("valid-days"), help: ArgumentHelp("How long the list is valid.", valueName: "days")) var validDays = 30

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                let list = try await records.statusList(keyPath: key, validDays: validDays)
                if out == "-" {
                    print(list.token)
                    return
                }
                let path = out ?? "revocation-status-list.jwt"
                try Registrar.writePrivateFile(list.token + "\n", to: path)
                Console.say("wrote \(path): \(list.entries) badge\(list.entries == 1 ? "" : "s"), \(list.revokedCount) revoked; publish it at \(list.url)")
            }
        }
    }
}
