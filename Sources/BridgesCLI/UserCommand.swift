import ArgumentParser
import BridgesKit
import BridgesSystem
import Foundation

/// `bridges user …`: the accounts that sign in to `bridges serve`.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, list and disable the accounts that sign in to bridges serve.",
        subcommands: [Add.self, List.self, Disable.self]
    )
}

extension Role: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension UserCommand {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add an account; its password is read from standard input, or a one-time one is generated and printed.",
            discussion: """
                The password is the first line of standard input when that is not a terminal \
                (printf '%s\\n' "$PASSWORD" | bridges user add …); otherwise, or when that line is empty, \
                a one-time password is generated and printed once. Passwords are kept only as bcrypt hashes. \
                Roles: officer (needs --officer and --school), coordinator, school-admin (needs --school), \
                district-admin (every school), auditor.
                """)

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions

        @Argument(help: ArgumentHelp("The name the person signs in with, e.g. j.rivera.", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("officer, coordinator, school-admin, district-admin or auditor.", valueName: "role"))
        var role: Role

        @Option(name: .customLong("school"), parsing: .unconditionalSingleValue, help: ArgumentHelp("A school the account may see (repeat for several).", valueName: "id"))
        var schools: [String] = []

        @Option(parsing: .unconditional, help: ArgumentHelp("For an officer's account: the officer it logs sessions as.", valueName: "id"))
        var officer: String?

        func run() async throws {
            try await Console.run {
                var password: String?
                if !SystemCall.isTerminal(STDIN_FILENO), let line = readLine(strippingNewline: true), !line.isEmpty {
                    password = line.hasSuffix("\r") ? String(line.dropLast()) : line
                }
                let records = try await Registrar(database.location)
                let added = try await records.addAccount(
                    name: name, role: role, schools: schools, officerID: officer, password: password, caller: .local(actor.name))
                let account = added.account
                var line = "added user \(account.name) (\(account.role.rawValue)"
                if !account.schools.isEmpty { line += ", schools \(account.schools.joined(separator: ", "))" }
                if let officer = account.officerID { line += ", officer \(officer)" }
                Console.result(lines: [line + ")"])
                if let generated = added.generatedPassword {
                    Console.result(lines: ["one-time password: \(generated)"])
                    Console.say("The password is shown only this once; give it to \(account.name) in person.")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts, their roles and schools.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location, access: .read)
                let accounts = try await records.accounts(caller: .local("list"))
                if accounts.isEmpty {
                    Console.say("No users yet; add the first with: bridges user add NAME --role district-admin")
                    return
                }
                let now = ISO8601DateFormatter().string(from: Date())
                let rows = accounts.map { account in
                    let status = account.disabled ? "disabled" : (account.lockedUntil.map { $0 > now ? "locked until \($0)" : nil } ?? nil) ?? "active"
                    return [
                        account.name, account.role.rawValue, account.schools.isEmpty ? "(all)" : account.schools.joined(separator: " "),
                        account.officerID ?? "-", status,
                    ]
                }
                Console.result(TextTable.render(header: ["NAME", "ROLE", "SCHOOLS", "OFFICER", "STATUS"], rows: rows))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Disable an account: it can no longer sign in, its sign-ins end and its API tokens are revoked.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOptions

        @Argument(help: ArgumentHelp("The account's name.", valueName: "name"))
        var name: String

        func run() async throws {
            try await Console.run {
                let records = try await Registrar(database.location)
                let changed = try await records.disableAccount(name: name, caller: .local(actor.name))
                Console.result(lines: [changed ? "disabled user \(name.trimmingWhitespace())" : "user \(name.trimmingWhitespace()) was already disabled"])
            }
        }
    }
}
