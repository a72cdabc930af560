/// An API token as people see it: never its secret (the store keeps only its SHA-256).
public struct APITokenInfo: Sendable, Hashable {
    /// The number a person names it by (to revoke it).
    public var id: Int64
    public var account: String
    public var createdAt: String
    /// The last day (UTC, `YYYY-MM-DD`) it is accepted; nil: until revoked.
    public var expires: String?
    public var revokedAt: String?

    public init(id: Int64, account: String, createdAt: String, expires: String?, revokedAt: String?) {
        self.id = id
        self.account = account
        self.createdAt = createdAt
        self.expires = expires
        self.revokedAt = revokedAt
    }
}
