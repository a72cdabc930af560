import ArgumentParser
import BridgesKit

/// `bridges issuer …`: who signs the certificates' Open Badges.
struct IssuerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issuer",
        abstract: "Make and show the issuer identity that signs Open Badges.",
        subcommands: [Init.self, Show.self]
    )
}

extension IssuerCommand {
    struct Init: ParsableCommand {
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
        @Option(help: ArgumentHelp("The district or school, as certificates name it.", valueName: "name")) var name: String
        @Option(help: ArgumentHelp("Its public https address.", valueName: "url")) var url: String
        @Option(help: ArgumentHelp("Where to write the private key.", valueName: "path")) var key: String?
        @Option(help: ArgumentHelp("Where to write the public key (JWK).", valueName: "path")) var jwk: String?

        func run() throws {
            try Console.run {
                let records = try Records(databasePath: database.path)
                let jwkPath = jwk ?? Records.defaultIssuerJWKPath(keyPath: key ?? Records.defaultIssuerKeyPath(databasePath: records.databasePath))
                let issuer = try records.createIssuer(name: name, url: url, keyPath: key, jwkPath: jwkPath, actor: actor.name)
                Console.say("wrote the private key to \(issuer.keyPath) (readable by you only; keep it out of shared folders and backups)")
                Console.say("wrote the public key to \(jwkPath); publish it at \(issuer.url)")
                Console.result("issuer \(issuer.name) <\(issuer.url)>, key id \(issuer.keyID)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the issuer: name, address, key id, and the public key (JWK).")

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try Console.run {
                let records = try Records(databasePath: database.path)
                guard let issuer = try records.issuer() else {
                    throw BridgesError.notFound("this database has no issuer yet; make one with: bridges issuer init --name NAME --url URL")
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
}
