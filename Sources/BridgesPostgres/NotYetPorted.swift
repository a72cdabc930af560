import BridgesCore
import BridgesStore
import Foundation

// The operations of the store contract not yet written for PostgreSQL (issue 13 ports them group by
// group). Each refuses before reading or writing anything, naming what it is, so a command that
// needs one stops with a clear message (exit 64) and the database is as it was; the README lists
// the commands that run on PostgreSQL. Delete an operation here when its group is ported.
extension PostgresStore: Store {
    package func addAccount(_ account: StoredAccount, context: WriteContext) async throws(StoreError) -> Bool {
        throw StoreError.notOnThisStore(path: displayName, what: "Adding an account")
    }

    package func account(name: String) async throws(StoreError) -> StoredAccount? {
        throw StoreError.notOnThisStore(path: displayName, what: "Looking up an account")
    }

    package func accounts() async throws(StoreError) -> [StoredAccount] {
        throw StoreError.notOnThisStore(path: displayName, what: "Listing accounts")
    }

    package func disableAccount(name: String, context: WriteContext) async throws(StoreError) -> Bool? {
        throw StoreError.notOnThisStore(path: displayName, what: "Disabling an account")
    }

    package func recordFailedSignIn(name: String, limit: Int, lockUntil: String, context: WriteContext) async throws(StoreError) -> FailedSignIn? {
        throw StoreError.notOnThisStore(path: displayName, what: "Signing in")
    }

    package func recordSignIn(name: String, secretHash: String, signIn: StoredSignIn, context: WriteContext) async throws(StoreError) {
        throw StoreError.notOnThisStore(path: displayName, what: "Signing in")
    }

    package func signIn(secretHash: String, now: String) async throws(StoreError) -> (StoredSignIn, StoredAccount)? {
        throw StoreError.notOnThisStore(path: displayName, what: "Signing in")
    }

    package func endSignIn(secretHash: String, context: WriteContext) async throws(StoreError) -> Bool {
        throw StoreError.notOnThisStore(path: displayName, what: "Signing out")
    }

    package func createAPIToken(account: String, secretHash: String, expires: String?, context: WriteContext) async throws(StoreError) -> Int64 {
        throw StoreError.notOnThisStore(path: displayName, what: "Making an API token")
    }

    package func apiTokenAccount(secretHash: String, today: String) async throws(StoreError) -> (StoredAPIToken, StoredAccount)? {
        throw StoreError.notOnThisStore(path: displayName, what: "An API token")
    }

    package func apiTokens(account: String?) async throws(StoreError) -> [StoredAPIToken] {
        throw StoreError.notOnThisStore(path: displayName, what: "Listing API tokens")
    }

    package func revokeAPIToken(id: Int64, context: WriteContext) async throws(StoreError) -> Bool? {
        throw StoreError.notOnThisStore(path: displayName, what: "Revoking an API token")
    }
}
