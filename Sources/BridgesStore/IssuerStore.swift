import BridgesCore
import Foundation

/// The issuer that signs this database's badges: name, web address, public key and where its
/// private key file was written. Never the private key.
package struct StoredIssuer: Sendable, Hashable {
    package var name: String
    package var url: String
    package var keyID: String
    package var publicJWK: String
    package var keyPath: String
    package var createdAt: String
    package var createdBy: String

    package init(name: String, url: String, keyID: String, publicJWK: String, keyPath: String, createdAt: String, createdBy: String) {
        self.name = name
        self.url = url
        self.keyID = keyID
        self.publicJWK = publicJWK
        self.keyPath = keyPath
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}
