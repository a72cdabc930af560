import ArgumentParser
import BridgesKit
import Foundation

/// `bridges token …`: API tokens for scripts (`Authorization: Bearer …`).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke the API tokens scripts use with bridges serve.",
        subcommands: [Create.self, List.self, Revoke.self]
    )
}

extension TokenCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Make an API token for an account and print it once (only its hash is kept).",
            discussion: "The token alone goes to standard output (token=$(bridges token create NAME)); its number, for revoking it, to standard error.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions

        @Argument(help: ArgumentHelp("The account the token acts as.", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("The last day (UTC) the token works; without it, until revoked.", valueName: "yyyy-mm-dd"))
        var expires: String?

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let token = try await records.createAPIToken(account: name, expires: expires, caller: .local(actor.name))
                Console.result(lines: [token.secret])
                Console.say("token \(token.id) for \(token.account)\(token.expires.map { ", until \($0)" } ?? ", until revoked"): shown only this once; revoke it with: bridges token revoke \(token.id)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the API tokens (never their secrets).")

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("Only this account's tokens.", valueName: "name"))
        var user: String?

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                let tokens = try await records.apiTokens(account: user, caller: .local("list"))
                if tokens.isEmpty {
                    Console.say("No API tokens; make one with: bridges token create NAME")
                    return
                }
                let rows = tokens.map { token in
                    [String(token.id), token.account, token.createdAt, token.expires ?? "-", token.revokedAt.map { "revoked \($0)" } ?? "active"]
                }
                Console.result(TextTable.render(header: ["ID", "USER", "CREATED", "EXPIRES", "STATUS"], rows: rows))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an API token by its number (bridges token list).")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions

        @Argument(help: ArgumentHelp("The token's number.", valueName: "id"))
        var id: Int64

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let changed = try await records.revokeAPIToken(id: id, caller: .local(actor.name))
                Console.result(lines: [changed ? "revoked token \(id)" : "token \(id) was already revoked"])
            }
        }
    }
}
