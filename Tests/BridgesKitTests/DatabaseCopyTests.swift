@testable import BridgesKit
import BridgesCore
import Foundation
import Testing

@Suite("Copying a whole database to another store")
struct DatabaseCopyTests {
    /// A term with sessions, a voided one, quiz attempts and certificates.
    func term() async throws -> TermFixture {
        let term = try await TermFixture()
        let first = try await term.log("fa-scene-safety", on: "2025-09-08", absent: ["1002"])
        try await term.log("fa-calling-for-help", on: "2025-09-09")
        let voided = try await term.log("fa-scene-safety", class: "8B", on: "2025-09-08")
        try await term.records.voidSession(id: voided, reason: "wrong class", caller: .local("coordinator"))
        _ = try await term.records.recordQuiz(session: first, student: "1001", answers: try await term.answers("fa-scene-safety"), caller: .local("dana.reyes"))
        return term
    }

    @Test func everyRecordArrivesAsItWasAndTheCopyKeepsWorking() async throws {
        let term = try await term()
        defer { term.remove() }
        let target = otherTestDatabase(term.folder.appendingPathComponent("copy.sqlite").path)
        // When the term is copied
        let copy = try await DatabaseMaintenance.copy(from: testDatabase(term.databasePath), to: target)
        // Then every table was copied and read back the same
        let sourceCounts = try await DatabaseMaintenance.counts(testDatabase(term.databasePath))
        let copiedCounts = try await DatabaseMaintenance.counts(target)
        #expect(copiedCounts == sourceCounts)
        #expect(copy.rows == sourceCounts.values.reduce(0, +))
        #expect(copy.tables.first { $0.name == "session" }?.rows == 3)
        // And the copy reads as the source does, its audit chain whole
        let copied = try await Registrar(target, access: .read)
        let sessions = try await copied.sessions(classID: nil, programID: nil, from: nil, to: nil, caller: .local("x"))
        let original = try await term.records.sessions(classID: nil, programID: nil, from: nil, to: nil, caller: .local("x"))
        #expect(sessions.map(\.id) == original.map(\.id))
        #expect(sessions.map(\.voidReason) == original.map(\.voidReason))
        let checks = try await DatabaseMaintenance.check(target, now: Date())
        #expect(checks.allSatisfy { $0.outcome != .failed }, "\(checks)")
        // And a session logged in the copy gets the next id
        let writer = try await Registrar(target)
        let next = try await writer.logSession(
            lessonID: "fa-calling-for-help", classID: "8B", officerID: "ofc-101", date: "2025-09-10", minutes: nil,
            present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("dana.reyes")).id
        #expect(next == (original.map(\.id).max() ?? 0) + 1)
    }

    @Test func aDestinationThatHoldsADatabaseIsRefusedAndLeftAsItWas() async throws {
        let term = try await term()
        defer { term.remove() }
        let target = otherTestDatabase(term.folder.appendingPathComponent("copy.sqlite").path)
        _ = try await DatabaseMaintenance.copy(from: testDatabase(term.databasePath), to: target)
        let before = try await DatabaseMaintenance.counts(target)
        // When the same is copied there again
        let error = await bridgesError { _ = try await DatabaseMaintenance.copy(from: testDatabase(term.databasePath), to: target) }
        // Then it is refused, and the database there is unchanged
        #expect(error?.exitCode == 64, "\(String(describing: error))")
        #expect(error?.description.contains("already holds") == true)
        #expect(try await DatabaseMaintenance.counts(target) == before)
    }

    @Test func aSourceThatDoesNotExistIsNotFoundAndNothingIsMade() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("BridgesKitTests-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = otherTestDatabase(folder.appendingPathComponent("copy.sqlite").path)
        let error = await bridgesError {
            _ = try await DatabaseMaintenance.copy(from: testDatabase(folder.appendingPathComponent("none.sqlite").path), to: target)
        }
        #expect(error?.exitCode == 66, "\(String(describing: error))")
        #expect(try await Registrar.openIfPresent(target) == nil)
    }
}
