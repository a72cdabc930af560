/// Who asks for an operation: the name recorded as the actor of what it writes, the role that
/// decides what it may do, and the schools it may see.
///
/// Every front door hands one to Kit: the command line the local user with every right (whoever
/// can reach the database file can do anything with it anyway), a server the signed-in account.
/// The rule of which role may do what is `Caller.may(_:)` and `Caller.sees(school:)`, here and
/// nowhere else, so the command line, the server and the tests share it (server.md's roles).
public struct Caller: Sendable, Hashable {
    /// The name written as the actor of every change (an account's name, or the CLI's `--actor`).
    public let name: String
    public let role: Role
    /// The schools the caller may see; nil: every school (a district admin, an auditor of the
    /// whole district, the local user).
    public let schools: Set<String>?
    /// For an officer's account: the officer it logs sessions as.
    public let officerID: String?

    public init(name: String, role: Role, schools: Set<String>?, officerID: String? = nil) {
        self.name = name
        self.role = role
        self.schools = role == .districtAdmin ? nil : schools
        self.officerID = role == .officer ? officerID : nil
    }

    /// The person at the command line: a district admin over every school.
    public static func local(_ name: String) -> Caller {
        Caller(name: name, role: .districtAdmin, schools: nil)
    }
}

/// The roles of server.md.
public enum Role: String, Sendable, CaseIterable, Hashable {
    /// Logs sessions and quiz attempts as its officer in its schools, corrects what it logged.
    case officer
    /// Loads and reads lesson plans.
    case coordinator
    /// Imports its schools' rosters, exports their reports, issues and revokes certificates,
    /// corrects any session of its schools.
    case schoolAdmin = "school-admin"
    /// Everything, accounts included.
    case districtAdmin = "district-admin"
    /// Reads everything, the audit trail included; writes nothing.
    case auditor
}

/// What a caller asks to do, in the terms the role rule speaks of.
public enum Permission: String, Sendable, CaseIterable, Hashable {
    case readLessonPlans
    case loadLessonPlans
    /// Classes, their students, officers.
    case readRosters
    case importRoster
    case logSession
    case recordQuiz
    /// Amend or void a session (an officer: only one it logged; see `mayCorrect`).
    case correctSession
    case readSessions
    /// Reports that name students: attendance, summary, certificates.
    case exportStudentReports
    /// Reports with counts only: the program report, the community report.
    case exportCountReports
    case issueCertificates
    case readCertificates
    case manageOfficers
    case readAuditTrail
    /// The disclosure log and a student's whole record.
    case readStudentRecords
    /// Erasure, legal holds, retention purges, directory opt-outs.
    case manageStudentRecords
    case manageIssuer
    case manageAccounts
    /// Doctor, backup, upgrade, the demo.
    case maintainDatabase
}

extension Caller {
    /// Whether the role may do `permission` at all (in its own schools).
    public func may(_ permission: Permission) -> Bool {
        switch role {
        case .districtAdmin:
            return true
        case .auditor:
            switch permission {
            case .readLessonPlans, .readRosters, .readSessions, .exportStudentReports, .exportCountReports,
                 .readCertificates, .readAuditTrail, .readStudentRecords:
                return true
            default:
                return false
            }
        case .officer:
            switch permission {
            case .readLessonPlans, .readRosters, .logSession, .recordQuiz, .correctSession, .readSessions:
                return true
            default:
                return false
            }
        case .coordinator:
            switch permission {
            case .readLessonPlans, .loadLessonPlans, .exportCountReports:
                return true
            default:
                return false
            }
        case .schoolAdmin:
            switch permission {
            case .readLessonPlans, .readRosters, .importRoster, .correctSession, .readSessions,
                 .exportStudentReports, .exportCountReports, .issueCertificates, .readCertificates:
                return true
            default:
                return false
            }
        }
    }

    /// Whether `school` is one of the caller's schools. Anything outside them is answered as if
    /// it did not exist.
    public func sees(school: String) -> Bool {
        schools.map { $0.contains(school) } ?? true
    }

    /// Whether the caller sees every school (no filter is needed on what it reads).
    public var seesEverySchool: Bool { schools == nil }

    /// Whether the caller may correct (amend or void) a session of `school` that `officerID` logged.
    public func mayCorrect(sessionOf school: String, loggedBy officerID: String) -> Bool {
        guard may(.correctSession), sees(school: school) else { return false }
        return role != .officer || self.officerID == officerID
    }

    /// Whether the caller may record a quiz attempt at a session of `school` that `officerID`
    /// logged: an officer only at its own sessions.
    public func mayRecordQuiz(sessionOf school: String, loggedBy officerID: String) -> Bool {
        guard may(.recordQuiz), sees(school: school) else { return false }
        return role != .officer || self.officerID == officerID
    }

    /// Whether the caller may log a session of `school` taught by `officerID`: an officer only as
    /// itself.
    public func mayLog(in school: String, as officerID: String) -> Bool {
        guard may(.logSession), sees(school: school) else { return false }
        return role != .officer || self.officerID == officerID
    }

    /// Throws `.rejected` for a caller limited to some schools: `what` covers every school and is
    /// not cut down to an account's own (an account of a whole district may use it).
    package func requireEverySchool(_ what: String) throws(BridgesError) {
        guard seesEverySchool else {
            throw .rejected("\(what) covers every school; an account limited to some schools cannot read it")
        }
    }

    /// Throws `.forbidden` unless the role may do `permission`.
    package func require(_ permission: Permission) throws(BridgesError) {
        guard may(permission) else { throw .forbidden(role: role, permission: permission) }
    }
}
