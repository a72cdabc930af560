@testable import BridgesKit
import Testing

@Suite("The role rule (server.md's roles)")
struct CallerTests {
    /// server.md's table, written out once more by hand: what each role may do.
    static let allowed: [Role: Set<Permission>] = [
        .officer: [.readLessonPlans, .readRosters, .logSession, .recordQuiz, .correctSession, .readSessions],
        .coordinator: [.readLessonPlans, .loadLessonPlans, .exportCountReports],
        .schoolAdmin: [.readLessonPlans, .readRosters, .importRoster, .correctSession, .readSessions,
                       .exportStudentReports, .exportCountReports, .issueCertificates, .readCertificates],
        .auditor: [.readLessonPlans, .readRosters, .readSessions, .exportStudentReports, .exportCountReports,
                   .readCertificates, .readAuditTrail, .readStudentRecords],
        .districtAdmin: Set(Permission.allCases),
    ]

    @Test("every role may do exactly what its row allows", arguments: Role.allCases)
    func table(role: Role) {
        let caller = Caller(name: "x", role: role, schools: ["s1"], officerID: "o1")
        for permission in Permission.allCases {
            #expect(caller.may(permission) == Self.allowed[role]!.contains(permission), "\(role) \(permission)")
        }
    }

    @Test("nobody but a district admin manages accounts, and the auditor writes nothing")
    func accountsAndAuditor() {
        for role in Role.allCases where role != .districtAdmin {
            #expect(!Caller(name: "x", role: role, schools: nil).may(.manageAccounts))
        }
        let auditor = Caller(name: "a", role: .auditor, schools: nil)
        for write in [Permission.loadLessonPlans, .importRoster, .logSession, .recordQuiz, .correctSession,
                      .issueCertificates, .manageOfficers, .manageStudentRecords, .manageIssuer, .maintainDatabase] {
            #expect(!auditor.may(write))
        }
    }

    @Test("schools limit what a caller sees; a district admin sees them all")
    func schools() {
        let admin = Caller(name: "a", role: .schoolAdmin, schools: ["north"])
        #expect(admin.sees(school: "north"))
        #expect(!admin.sees(school: "south"))
        #expect(!admin.seesEverySchool)
        let district = Caller(name: "d", role: .districtAdmin, schools: ["north"])
        #expect(district.sees(school: "south"))
        #expect(district.seesEverySchool)
        #expect(Caller.local("pat").seesEverySchool)
        #expect(Caller.local("pat").may(.maintainDatabase))
    }

    @Test("an officer logs and corrects only as itself, in its schools")
    func officer() {
        let officer = Caller(name: "o", role: .officer, schools: ["north"], officerID: "OFF-1")
        #expect(officer.mayLog(in: "north", as: "OFF-1"))
        #expect(!officer.mayLog(in: "north", as: "OFF-2"))
        #expect(!officer.mayLog(in: "south", as: "OFF-1"))
        #expect(officer.mayCorrect(sessionOf: "north", loggedBy: "OFF-1"))
        #expect(!officer.mayCorrect(sessionOf: "north", loggedBy: "OFF-2"))
        let admin = Caller(name: "a", role: .schoolAdmin, schools: ["north"])
        #expect(admin.mayCorrect(sessionOf: "north", loggedBy: "OFF-2"))
        #expect(!admin.mayCorrect(sessionOf: "south", loggedBy: "OFF-2"))
        #expect(!admin.mayLog(in: "north", as: "OFF-2"))
        #expect(Caller(name: "c", role: .coordinator, schools: nil).officerID == nil)
    }
}
