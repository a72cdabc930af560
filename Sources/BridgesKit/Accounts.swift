import BridgesCore
import BridgesStore
import Foundation
import HummingbirdBcrypt

/// An account of `bridges serve`: a person who signs in, in one role, for some schools.
/// Not the store's `StoredAccount`: a public value never carries the password hash, and the role is typed.
public struct Account: Sendable, Hashable {
    public let name: String
    public let role: Role
    /// Sorted; empty for a district admin (every school) and for an account of the whole district.
    public let schools: [String]
    public let officerID: String?
    public let disabled: Bool
    /// ISO 8601 UTC; sign-in is refused before then.
    public let lockedUntil: String?
    public let createdAt: String

    /// Who this account is when it asks for an operation: its name as the actor, its role, its
    /// schools (none given: every school).
    public var caller: Caller {
        Caller(name: name, role: role, schools: schools.isEmpty ? nil : Set(schools), officerID: officerID)
    }

    init?(_ stored: StoredAccount) {
        guard let role = Role(rawValue: stored.role) else { return nil }
        name = stored.name
        self.role = role
        schools = stored.schools
        officerID = stored.officerID
        disabled = stored.disabled
        lockedUntil = stored.lockedUntil
        createdAt = stored.createdAt
    }
}

/// What `user add` made: the account, and the one-time password it generated when none was given.
public struct AddedAccount: Sendable {
    public let account: Account
    public let generatedPassword: String?
}

/// A token just made: the secret is shown this once and then only its hash is kept.
public struct IssuedAPIToken: Sendable {
    public let id: Int64
    public let account: String
    public let secret: String
    public let expires: String?
}

/// A browser's sign-in: the cookie's secret, the CSRF token it must echo on writes, until when.
public struct SignedIn: Sendable {
    public let secret: String
    public let csrfToken: String
    /// ISO 8601 UTC.
    public let expiresAt: String
    public let caller: Caller
}

/// What a sign-in attempt came to.
public enum SignInOutcome: Sendable {
    case signedIn(SignedIn)
    /// No such account, a disabled one or a wrong password: the same answer for all three.
    case refused
    /// Too many wrong passwords in a row; try again after `until` (ISO 8601 UTC).
    case locked(until: String)
}

/// The accounts' rules: who may sign in, how passwords and tokens are kept.
public enum AccountRules {
    /// Wrong passwords in a row that lock an account.
    public static let lockAfter = 10
    /// How long a lock lasts.
    public static let lockMinutes = 15
    /// How long a browser's sign-in lasts.
    public static let signInHours = 12
    /// bcrypt's cost for new passwords (2^12 rounds: about a quarter second on a server).
    public static let passwordCost: UInt8 = 12
    /// A password shorter than this is refused: it would fall to guessing despite the lock.
    public static let minimumPasswordLength = 10
    /// bcrypt reads at most 72 bytes; a longer password would be cut silently.
    public static let maximumPasswordBytes = 72
    /// What every API token starts with, so a leaked one is recognisable in a scan of logs.
    public static let tokenPrefix = "bridges_"

    /// `count` random bytes in lower-case hexadecimal, from the system's generator.
    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexadecimal
    }

    /// A one-time password of 16 letters and digits, without the ones people misread (0 O 1 l I).
    static func generatedPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// The hash kept for a secret sent on every request (a token, a cookie): SHA-256, enough for
    /// a random 256-bit secret, and fast enough to check on every request.
    static func secretHash(_ secret: String) -> String {
        SHA256.hash(Array(secret.utf8)).hexadecimal
    }

    /// A hash that no password matches, checked when the account does not exist, so an unknown
    /// name costs as long as a wrong password and does not tell itself apart.
    static let absentAccountHash = Bcrypt.hash(randomHex(bytes: 16), cost: passwordCost)
}

extension Registrar {
    /// Adds an account (`bridges user add`); with no `password`, generates a one-time one and
    /// returns it to be shown once.
    ///
    /// An officer's account names a stored officer and at least one school; a school admin's at
    /// least one school; a district admin's none (it has every school). Each school must be in
    /// the roster: a mistyped id would quietly give an account nothing to see.
    public func addAccount(
        name: String, role: Role, schools: [String], officerID: String?, password: String?, caller: Caller,
        cost: UInt8 = AccountRules.passwordCost
    ) async throws(BridgesError) -> AddedAccount {
        let now = clock.now
        try caller.require(.manageAccounts)
        let name = name.trimmingWhitespace()
        guard !name.isEmpty else { throw .usage("the user name is empty; give the name the person signs in with, e.g. j.rivera") }
        if let problem = RecordText.problem(name, as: .id) { throw .usage("the user name \(problem)") }
        guard !name.contains(where: { $0.isWhitespace }) else { throw .usage("the user name '\(name)' contains a space; use a name without spaces, e.g. j.rivera") }
        let schools = Array(Set(schools.map { $0.trimmingWhitespace() })).sorted()
        if schools.contains("") { throw .usage("\(field: .school) is empty; give a school id as in the roster (\(.rosterList))") }
        switch role {
        case .districtAdmin where !schools.isEmpty:
            throw .usage("a district-admin has every school; leave out \(field: .school), or choose the role school-admin")
        case .officer, .schoolAdmin:
            if schools.isEmpty { throw .usage("a \(role.rawValue) works in some schools; give each with \(field: .school) ID") }
        default:
            break
        }
        let officer = officerID?.trimmingWhitespace()
        if role == .officer {
            guard let officer, !officer.isEmpty else { throw .usage("an officer's account logs sessions as an officer; give \(field: .officer) ID (\(.officerList))") }
            guard try await self.officer(id: officer) != nil else {
                throw .notFound(.officer(officer), "no officer \'\(officer)\'; add them first with: \(.officerAdd) \(officer) \(field: .name) \"…\"")
            }
        } else if officer != nil {
            throw .usage("\(field: .officer) is only for the role officer")
        }
        for school in schools {
            guard try await self.school(id: school) == nil else { continue }
            throw .notFound(.school(school), "no school \'\(school)\' is in the roster; `\(.rosterList)` shows the schools (import the roster first)")
        }
        let generated = password == nil ? AccountRules.generatedPassword() : nil
        let secret = password ?? generated!
        try Self.checkPassword(secret)
        let stored = StoredAccount(
            name: name, role: role.rawValue, schools: schools, officerID: officer,
            passwordHash: Bcrypt.hash(secret, cost: cost), createdAt: Timestamp.iso8601(now))
        let added = try await store { () async throws(StoreError) in try await database.addAccount(stored, context: WriteContext(actor: caller.name, at: now)) }
        guard added else { throw .rejected("there is already a user named '\(name)'; `\(.userList)` shows them") }
        return AddedAccount(account: Account(stored)!, generatedPassword: generated)
    }

    static func checkPassword(_ password: String) throws(BridgesError) {
        if password.count < AccountRules.minimumPasswordLength {
            throw .usage("the password is shorter than \(AccountRules.minimumPasswordLength) characters; choose a longer one, or give none and one is generated")
        }
        if password.utf8.count > AccountRules.maximumPasswordBytes {
            throw .usage("the password is longer than \(AccountRules.maximumPasswordBytes) bytes, which is all a bcrypt hash keeps; choose a shorter one")
        }
        if password.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw .usage("the password contains a control character (such as a tab); type it without one")
        }
    }

    /// Every account, by name (`bridges user list`).
    public func accounts(caller: Caller) async throws(BridgesError) -> [Account] {
        try caller.require(.manageAccounts)
        return try await store { () async throws(StoreError) in try await database.accounts() }.compactMap(Account.init)
    }

    /// The account with this name, if any.
    public func account(name: String, caller: Caller) async throws(BridgesError) -> Account? {
        try caller.require(.manageAccounts)
        return try await store { () async throws(StoreError) in try await database.account(name: name) }.flatMap(Account.init)
    }

    /// Disables an account: it can no longer sign in, its browsers are signed out and its tokens
    /// revoked. False when it was disabled already.
    public func disableAccount(name: String, caller: Caller) async throws(BridgesError) -> Bool {
        let now = clock.now
        try caller.require(.manageAccounts)
        let name = name.trimmingWhitespace()
        let outcome = try await store { () async throws(StoreError) in try await database.disableAccount(name: name, context: WriteContext(actor: caller.name, at: now)) }
        guard let outcome else { throw .notFound(.account(name), "no user named '\(name)'; `\(.userList)` shows them") }
        return outcome
    }

    /// Checks a name and password and, when they are right, starts a sign-in. Ten wrong passwords
    /// in a row lock the account for fifteen minutes (audited); a good one clears the count.
    /// The account's name is the actor of what a sign-in records.
    public func signIn(username: String, password: String) async throws(BridgesError) -> SignInOutcome {
        let now = clock.now
        let name = username.trimmingWhitespace()
        let stored = name.isEmpty ? nil : try await store { () async throws(StoreError) in try await database.account(name: name) }
        guard let stored, let account = Account(stored) else {
            _ = Bcrypt.verify(password, hash: AccountRules.absentAccountHash)
            return .refused
        }
        let at = Timestamp.iso8601(now)
        if let until = stored.lockedUntil, until > at { return .locked(until: until) }
        let context = WriteContext(actor: name, at: now)
        guard password.utf8.count <= AccountRules.maximumPasswordBytes, Bcrypt.verify(password, hash: stored.passwordHash) else {
            let lockUntil = Timestamp.iso8601(now.addingTimeInterval(Double(AccountRules.lockMinutes * 60)))
            let failed = try await store { () async throws(StoreError) in
                try await database.recordFailedSignIn(name: name, limit: AccountRules.lockAfter, lockUntil: lockUntil, context: context)
            }
            if let until = failed?.lockedUntil { return .locked(until: until) }
            return .refused
        }
        guard !account.disabled else { return .refused }
        let secret = AccountRules.randomHex(bytes: 32)
        let signIn = StoredSignIn(
            account: name, csrfToken: AccountRules.randomHex(bytes: 32),
            expiresAt: Timestamp.iso8601(now.addingTimeInterval(Double(AccountRules.signInHours * 3600))))
        try await store { () async throws(StoreError) in
            try await database.recordSignIn(name: name, secretHash: AccountRules.secretHash(secret), signIn: signIn, context: context)
        }
        return .signedIn(SignedIn(secret: secret, csrfToken: signIn.csrfToken, expiresAt: signIn.expiresAt, caller: account.caller))
    }

    /// Who a browser's cookie signs in, with the CSRF token its writes must carry; nil when the
    /// sign-in is unknown, expired or its account disabled.
    public func signedIn(secret: String) async throws(BridgesError) -> (caller: Caller, csrfToken: String)? {
        let now = clock.now
        guard !secret.isEmpty, secret.utf8.count <= 128 else { return nil }
        let found = try await store { () async throws(StoreError) in
            try await database.signIn(secretHash: AccountRules.secretHash(secret), now: Timestamp.iso8601(now))
        }
        guard let (signIn, stored) = found, let account = Account(stored) else { return nil }
        return (account.caller, signIn.csrfToken)
    }

    /// Ends a browser's sign-in; false when there was none.
    public func signOut(secret: String, caller: Caller) async throws(BridgesError) -> Bool {
        let now = clock.now
        return try await store { () async throws(StoreError) in
            try await database.endSignIn(secretHash: AccountRules.secretHash(secret), context: WriteContext(actor: caller.name, at: now))
        }
    }

    /// Makes an API token for an account (`bridges token create`): the secret is returned this
    /// once; `expires` is the last day it works (`YYYY-MM-DD`, UTC), nil for until revoked.
    public func createAPIToken(
        account name: String, expires: String?, caller: Caller
    ) async throws(BridgesError) -> IssuedAPIToken {
        let now = clock.now
        try caller.require(.manageAccounts)
        let name = name.trimmingWhitespace()
        var lastDay: String?
        if let expires {
            let day = try Self.date(expires, field: .expires)
            let today = SchoolDate(at: now, in: TimeZone(identifier: "UTC")!)
            if day < today { throw .usage("\(field: .expires) \(day) is already past (today is \(today) UTC); give the last day the token should work") }
            lastDay = day.description
        }
        guard let stored = try await store({ () async throws(StoreError) in try await database.account(name: name) }) else {
            throw .notFound(.account(name), "no user named '\(name)'; add one with: \(.userAdd) \(name) \(field: .role) ROLE")
        }
        guard !stored.disabled else { throw .rejected("the user '\(name)' is disabled; a token for it would never work") }
        let secret = AccountRules.tokenPrefix + AccountRules.randomHex(bytes: 32)
        let id = try await store { () async throws(StoreError) in
            try await database.createAPIToken(
                account: name, secretHash: AccountRules.secretHash(secret), expires: lastDay, context: WriteContext(actor: caller.name, at: now))
        }
        return IssuedAPIToken(id: id, account: name, secret: secret, expires: lastDay)
    }

    /// Who an API token (`Authorization: Bearer …`) signs in; nil when it is unknown, revoked,
    /// past its last day or its account disabled.
    public func apiTokenCaller(secret: String) async throws(BridgesError) -> Caller? {
        let now = clock.now
        guard secret.hasPrefix(AccountRules.tokenPrefix), secret.utf8.count <= 128 else { return nil }
        let today = SchoolDate(at: now, in: TimeZone(identifier: "UTC")!).description
        let found = try await store { () async throws(StoreError) in try await database.apiTokenAccount(secretHash: AccountRules.secretHash(secret), today: today) }
        return found.flatMap { Account($0.1)?.caller }
    }

    /// The API tokens, of one account or all, oldest first; never their secrets.
    public func apiTokens(account: String?, caller: Caller) async throws(BridgesError) -> [APITokenInfo] {
        try caller.require(.manageAccounts)
        return try await store { () async throws(StoreError) in try await database.apiTokens(account: account) }
    }

    /// Revokes a token by its number; false when it was revoked already.
    public func revokeAPIToken(id: Int64, caller: Caller) async throws(BridgesError) -> Bool {
        let now = clock.now
        try caller.require(.manageAccounts)
        let outcome = try await store { () async throws(StoreError) in try await database.revokeAPIToken(id: id, context: WriteContext(actor: caller.name, at: now)) }
        guard let outcome else { throw .notFound(.token(id), "no API token \(id); `\(.tokenList)` shows them") }
        return outcome
    }
}
