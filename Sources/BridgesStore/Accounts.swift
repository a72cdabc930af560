import BridgesCore
import Foundation

/// An account of `bridges serve`, as stored: who may sign in, in which role, for which schools.
///
/// The password is kept only as a bcrypt hash; the role is kept as server.md spells it
/// (`school-admin`), so the store needs no knowledge of what a role may do.
package struct StoredAccount: Sendable, Hashable {
    package var name: String
    package var role: String
    /// The schools the account is limited to, sorted (empty for a district admin: every school).
    package var schools: [String]
    /// For an officer's account: the officer it logs sessions as.
    package var officerID: String?
    package var passwordHash: String
    package var disabled: Bool
    /// Wrong passwords in a row since the last good one (or the last lock).
    package var failedAttempts: Int
    /// ISO 8601 UTC; sign-in is refused before then.
    package var lockedUntil: String?
    package var createdAt: String

    package init(
        name: String, role: String, schools: [String], officerID: String?, passwordHash: String, disabled: Bool = false,
        failedAttempts: Int = 0, lockedUntil: String? = nil, createdAt: String
    ) {
        self.name = name
        self.role = role
        self.schools = schools
        self.officerID = officerID
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
        self.createdAt = createdAt
    }
}

/// A browser's sign-in, kept in the database (not in one server's memory) so that every server
/// on the database knows it. The cookie's secret is stored only as its SHA-256.
package struct StoredSignIn: Sendable, Hashable {
    package var account: String
    /// The token a browser must echo in `X-CSRF-Token` on every write.
    package var csrfToken: String
    /// ISO 8601 UTC.
    package var expiresAt: String

    package init(account: String, csrfToken: String, expiresAt: String) {
        self.account = account
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}

/// What a wrong password did to an account.
package struct FailedSignIn: Sendable, Hashable {
    /// Wrong passwords in a row, this one included (0 once it locked the account).
    package var failedAttempts: Int
    /// Set when this attempt locked the account.
    package var lockedUntil: String?

    package init(failedAttempts: Int, lockedUntil: String?) {
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
    }
}

/// A session logged through the API under an `Idempotency-Key`: the same key from the same caller
/// names the same session, and must come with the same body.
package struct IdempotentSession: Error, Sendable, Hashable {
    package var key: String
    package var caller: String
    /// SHA-256 (hexadecimal) of the request body as sent.
    package var bodyHash: String
    package var sessionID: Int64

    package init(key: String, caller: String, bodyHash: String, sessionID: Int64) {
        self.key = key
        self.caller = caller
        self.bodyHash = bodyHash
        self.sessionID = sessionID
    }
}
