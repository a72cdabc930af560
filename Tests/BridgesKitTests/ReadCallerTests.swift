@testable import BridgesKit
import Testing

/// What a caller reads goes through the same role rule as what it writes (`Caller.may`), and a
/// caller limited to some schools reads only theirs: another school's roster is answered as one
/// that does not exist, and a read that covers every school is refused to it.
@Suite("reads with a caller")
struct ReadCallerTests {
    let north = Caller(name: "ana", role: .schoolAdmin, schools: ["0202"])

    @Test func aSchoolAdminReadsItsOwnRosterAndNoOtherSchool() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        var schools = Set<String>()
        try await term.records.listRoster(schoolID: nil, classID: nil, caller: north, shape: { _ in }, row: { schools.insert($0.schoolID) })
        #expect(schools == ["0202"])
        // The same listing for the command line's user has both schools
        schools = []
        try await term.records.listRoster(schoolID: nil, classID: nil, caller: .local("pat"), shape: { _ in }, row: { schools.insert($0.schoolID) })
        #expect(schools == ["0202", "0303"])
        // Naming another school or its class: as if it did not exist
        await #expect(throws: BridgesError.self) {
            try await term.records.listRoster(schoolID: "0303", classID: nil, caller: north, shape: { _ in }, row: { _ in })
        }
        do {
            try await term.records.listRoster(schoolID: nil, classID: "9H", caller: north, shape: { _ in }, row: { _ in })
            Issue.record("another school's class was listed")
        } catch {
            #expect(error.code == "not-found.class")
        }
        #expect(try await term.records.school(id: "0303", caller: north) == nil)
        #expect(try await term.records.school(id: "0202", caller: north)?.name == "Riverside Middle School")
        #expect(try await term.records.schoolClass(id: "9H", caller: north) == nil)
        #expect(try await term.records.schoolClass(id: "8A", caller: north)?.name == "Grade 8 Health A")
    }

    @Test func theClassListingCountsEachClassesStudentsAndShowsOnlyTheCallersSchools() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let all = try await term.records.classes(caller: .local("pat"))
        #expect(all.map(\.id) == ["8A", "8B", "9H"])
        #expect(all.map(\.students) == [4, 2, 1])
        #expect(all.first?.name == "Grade 8 Health A" && all.first?.schoolID == "0202")
        let theirs = try await term.records.classes(caller: north)
        #expect(theirs.map(\.id) == ["8A", "8B"])
    }

    @Test func eachReadAsksTheRoleRule() async throws {
        let term = try await TermFixture()
        defer { term.remove() }
        let coordinator = Caller(name: "cy", role: .coordinator, schools: nil)
        let officer = Caller(name: "o", role: .officer, schools: ["0202"], officerID: "ofc-101")
        func forbidden(_ body: () async throws -> Void) async -> String? {
            do { try await body(); return nil } catch { return (error as? BridgesError)?.code ?? "\(error)" }
        }
        // A coordinator reads lesson plans, not rosters, officers or certificates
        #expect(try await !term.records.programs(caller: coordinator).isEmpty)
        #expect(await forbidden { _ = try await term.records.officers(caller: coordinator) } == "forbidden.readRosters")
        #expect(await forbidden { _ = try await term.records.certificates(programID: nil, caller: coordinator) } == "forbidden.readCertificates")
        #expect(await forbidden { _ = try await term.records.sessions(classID: nil, programID: nil, from: nil, to: nil, caller: coordinator) } == "forbidden.readSessions")
        // An officer reads its rosters and sessions, not the disclosure log or the issuer
        #expect(try await term.records.officers(caller: officer).count == 2)
        #expect(await forbidden { _ = try await term.records.disclosures(caller: officer) } == "forbidden.readStudentRecords")
        #expect(await forbidden { _ = try await term.records.issuer(caller: officer) } == "forbidden.manageIssuer")
        // The disclosure log covers every school: an auditor of the district reads it, one of a school cannot
        #expect(try await term.records.disclosures(caller: Caller(name: "au", role: .auditor, schools: nil)).isEmpty)
        #expect(await forbidden { _ = try await term.records.disclosures(caller: Caller(name: "au", role: .auditor, schools: ["0202"])) } == "rejected")
    }
}
