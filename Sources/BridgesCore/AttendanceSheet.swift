/// The rule of a logged session: every student enrolled in the class gets exactly one status.
///
/// Students can be named one by one (`--present`, `--late`, a sheet); whoever is not named takes
/// `others`. Without `others`, anyone left unnamed is a problem, so nobody is marked by accident.
public enum AttendanceSheet {
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// Named students who are not enrolled in the class.
        case notEnrolled([String])
        /// A student given two different statuses.
        case conflicting(student: String, statuses: [AttendanceStatus])
        /// Enrolled students with no status and no `--others` to give them one; `names` holds
        /// what the officer knows them by (`Given Family`), for as many as are known.
        case unnamed([String], names: [String: String] = [:])
        /// The class has nobody enrolled.
        case emptyClass

        public var description: String { message.description }

        /// The problem for a person, the input and the action it names kept as data.
        public var message: Message {
            switch self {
            case .notEnrolled(let ids):
                "\(Self.count(ids, "student")) not enrolled in this class: \(Self.list(ids)) (check the ids, or import the roster first)"
            case .conflicting(let student, let statuses):
                "student \(student) is given \(statuses.map(\.rawValue).joined(separator: " and ")); give each student one status"
            case .unnamed(let ids, let names):
                "\(Self.count(ids, "enrolled student")) \(ids.count == 1 ? "has" : "have") no status: \(Self.list(ids.map { id in names[id].map { "\(id) (\($0))" } ?? id })); name them, or give everyone else a status with \(field: .others) present|late|absent|excused"
            case .emptyClass:
                "nobody is enrolled in this class; import the roster first (\(.rosterImport))"
            }
        }

        private static func count(_ ids: [String], _ noun: String) -> String {
            ids.count == 1 ? "1 \(noun)" : "\(ids.count) \(noun)s"
        }

        private static func list(_ ids: [String]) -> String {
            ids.count <= 20 ? ids.joined(separator: ", ") : ids.prefix(20).joined(separator: ", ") + " and \(ids.count - 20) more"
        }
    }

    /// Every enrolled student's status, or every problem found.
    public static func resolve(
        enrolled: Set<String>, named: [(student: String, status: AttendanceStatus)], others: AttendanceStatus?
    ) -> Result<[String: AttendanceStatus], ProblemList> {
        var problems: [Problem] = []
        if enrolled.isEmpty { return .failure(ProblemList([.emptyClass])) }
        var statuses: [String: AttendanceStatus] = [:]
        var conflicts: [String: [AttendanceStatus]] = [:]
        // In the order first named, each once; the set keeps the check linear in the names given.
        var notEnrolled: [String] = []
        var seenNotEnrolled: Set<String> = []
        for (student, status) in named {
            guard enrolled.contains(student) else {
                if seenNotEnrolled.insert(student).inserted { notEnrolled.append(student) }
                continue
            }
            if let earlier = statuses[student], earlier != status {
                conflicts[student, default: [earlier]].append(status)
            } else {
                statuses[student] = status
            }
        }
        if !notEnrolled.isEmpty { problems.append(.notEnrolled(notEnrolled)) }
        for student in conflicts.keys.sorted() { problems.append(.conflicting(student: student, statuses: conflicts[student]!)) }
        let unnamed = enrolled.subtracting(statuses.keys).sorted()
        if let others {
            for student in unnamed { statuses[student] = others }
        } else if !unnamed.isEmpty {
            problems.append(.unnamed(unnamed))
        }
        return problems.isEmpty ? .success(statuses) : .failure(ProblemList(problems))
    }

    public struct ProblemList: Error, Sendable, Hashable {
        public var problems: [Problem]
        public init(_ problems: [Problem]) { self.problems = problems }
    }
}
