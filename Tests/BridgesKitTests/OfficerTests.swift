@testable import BridgesKit
import BridgesStore
import Foundation
import Testing

/// `officer add` and `officer list` through `Registrar` (cli.md, "Rosters and officers").
@Suite("Officers")
struct OfficerTests {
    func trail(_ scratch: RosterScratch, _ id: String) async throws -> [String] {
        try await scratch.records.database.auditTrail(entity: "officer", id: id).map { event in
            "\(event.actor) \(event.action) \(event.field ?? "-") \(event.oldValue ?? "∅") → \(event.newValue ?? "∅")"
        }
    }

    @Test func anOfficerIsAddedWithEveryDetail() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        // When an officer is added
        let outcome = try await scratch.records.saveOfficer(
            id: "ofc-0042", name: "Dana Reyes", agency: "Riverside Police Department", certifiedUntil: "2030-06-30", caller: .local("coordinator"))
        // Then it is stored as given, and the add is audited once
        #expect(outcome == .added)
        await #expect(try scratch.records.officer(id: "ofc-0042") == Officer(id: "ofc-0042", name: "Dana Reyes", agency: "Riverside Police Department", certifiedUntil: "2030-06-30"))
        await #expect(try trail(scratch, "ofc-0042") == ["coordinator add - ∅ → ∅"])
        await #expect(try scratch.records.database.auditTrail(entity: "officer", id: "ofc-0042").first?.detail == "name: Dana Reyes; agency: Riverside Police Department; certified until: 2030-06-30")
    }

    @Test func anUnknownOfficerIsNil() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        await #expect(try scratch.records.officer(id: "nobody") == nil)
        await #expect(try scratch.records.officers().isEmpty)
    }

    @Test func addingAStoredIDWithTheSameDetailsChangesNothing() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.saveOfficer(id: "7", name: "Dana Reyes", agency: "RPD", certifiedUntil: nil, caller: .local("coordinator"))
        let again = try await scratch.records.saveOfficer(id: "7", name: "Dana Reyes", agency: "RPD", certifiedUntil: nil, caller: .local("coordinator"))
        #expect(again == .unchanged)
        await #expect(try trail(scratch, "7").count == 1)
    }

    @Test func addingAStoredIDUpdatesItsDetailsAndAuditsOldToNew() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.saveOfficer(id: "007", name: "Dana Reyes", agency: "RPD", certifiedUntil: "2025-01-31", caller: .local("coordinator"))
        // When the same id is added with a new name and date
        let outcome = try await scratch.records.saveOfficer(id: "007", name: "Dana Reyes-Ortiz", agency: nil, certifiedUntil: "2027-01-31", caller: .local("chief"))
        // Then the details are updated, the agency kept (not given), and each change audited
        #expect(outcome == .updated([
            .init(field: "name", oldValue: "Dana Reyes", newValue: "Dana Reyes-Ortiz"),
            .init(field: "certifiedUntil", oldValue: "2025-01-31", newValue: "2027-01-31"),
        ]))
        await #expect(try scratch.records.officer(id: "007") == Officer(id: "007", name: "Dana Reyes-Ortiz", agency: "RPD", certifiedUntil: "2027-01-31"))
        await #expect(try trail(scratch, "007") == [
            "coordinator add - ∅ → ∅",
            "chief update name Dana Reyes → Dana Reyes-Ortiz",
            "chief update certifiedUntil 2025-01-31 → 2027-01-31",
        ])
        // And the leading zeros of the id are kept: 7 is another officer
        await #expect(try scratch.records.officer(id: "7") == nil)
    }

    @Test func anEmptyAgencyOrDateClearsTheStoredOne() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.saveOfficer(id: "a", name: "Ann", agency: "RPD", certifiedUntil: "2030-01-01", caller: .local("coordinator"))
        let outcome = try await scratch.records.saveOfficer(id: "a", name: "Ann", agency: "", certifiedUntil: " ", caller: .local("coordinator"))
        #expect(outcome == .updated([
            .init(field: "agency", oldValue: "RPD", newValue: nil), .init(field: "certifiedUntil", oldValue: "2030-01-01", newValue: nil),
        ]))
        await #expect(try scratch.records.officer(id: "a") == Officer(id: "a", name: "Ann"))
    }

    @Test(arguments: ["2025-02-30", "2025-2-3", "2025/02/03", "tomorrow", "2023-02-29", "20250203", "2025-13-01", "0000-01-01"])
    func aDateThatIsNotARealCalendarDateIsAUsageError(_ date: String) async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let error = await #expect(throws: BridgesError.self) {
            try await scratch.records.saveOfficer(id: "a", name: "Ann", certifiedUntil: date, caller: .local("coordinator"))
        }
        #expect(error?.exitCode == 64)
        #expect(error?.description.contains("YYYY-MM-DD") == true)
        await #expect(try scratch.records.officer(id: "a") == nil)
    }

    @Test(arguments: [("", "Ann"), ("  ", "Ann"), ("a", ""), ("a", " \t"), ("a\tb", "Ann")])
    func anEmptyIDOrNameIsAUsageError(_ id: String, _ name: String) async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        let error = await #expect(throws: BridgesError.self) { try await scratch.records.saveOfficer(id: id, name: name, caller: .local("coordinator")) }
        #expect(error?.exitCode == 64)
        await #expect(try scratch.records.officers().isEmpty)
    }

    @Test func idsAndNamesAreTrimmedAndDatesStoredAsISOText() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.saveOfficer(id: " 0042 ", name: " Дарья Петрова ", agency: " शहर पुलिस ", certifiedUntil: "2028-02-29", caller: .local("coordinator"))
        await #expect(try scratch.records.officer(id: "0042") == Officer(id: "0042", name: "Дарья Петрова", agency: "शहर पुलिस", certifiedUntil: "2028-02-29"))
    }

    @Test func officersAreListedByIDAndLapsedOnesCanBeTold() async throws {
        let scratch = try await RosterScratch()
        defer { scratch.remove() }
        _ = try await scratch.records.saveOfficer(id: "b", name: "Ben", certifiedUntil: "2025-01-31", caller: .local("coordinator"))
        _ = try await scratch.records.saveOfficer(id: "a", name: "Ann", certifiedUntil: "2030-06-30", caller: .local("coordinator"))
        _ = try await scratch.records.saveOfficer(id: "c", name: "Cy", caller: .local("coordinator"))
        let officers = try await scratch.records.officers()
        #expect(officers.map(\.id) == ["a", "b", "c"])
        let day = SchoolDate("2025-02-01")!
        #expect(officers.map { $0.isLapsed(on: day) } == [false, true, false])
        // The last certified day itself is not lapsed
        #expect(officers[1].isLapsed(on: SchoolDate("2025-01-31")!) == false)
    }
}
