@testable import BridgesKit
import Foundation
import Testing

/// The issuer's private key is never written into the folder of reports the front door hands in
/// (its files are handed out), found by where that folder is, not by its name.
@Suite("Where the issuer's private key may go")
struct IssuerKeyPlaceTests {
    @Test func aKeyInsideTheReportFolderIsRefusedAndOneBesideItIsNot() throws {
        let root = FileManager.default.temporaryDirectory.path + "/bridges-key-place-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/reports/inner", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/keys", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let reports = ReportFolder(path: root + "/reports", shownAs: "Exports")
        for inside in [root + "/reports/issuer.pem", root + "/reports/inner/issuer.pem"] {
            #expect(throws: BridgesError.self, "\(inside)") { try Registrar.checkPrivateKeyPlace(inside, reportFolder: reports) }
        }
        try Registrar.checkPrivateKeyPlace(root + "/keys/issuer.pem", reportFolder: reports)
        // A folder that only shares the report folder's name is not it.
        try FileManager.default.createDirectory(atPath: root + "/keys/Exports", withIntermediateDirectories: true)
        try Registrar.checkPrivateKeyPlace(root + "/keys/Exports/issuer.pem", reportFolder: reports)
        try Registrar.checkPrivateKeyPlace(root + "/reports-old.pem", reportFolder: reports)
    }
}
