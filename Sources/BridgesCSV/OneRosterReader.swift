import BridgesCore
import BridgesSystem
import Foundation

/// Reads a roster in OneRoster 1.1 CSV bulk form from a folder (a .zip is unpacked by the caller
/// into a private temporary folder first).
///
/// Reads `manifest.csv`, then `orgs.csv`, `classes.csv`, `users.csv` and `enrollments.csv`, one
/// row at a time, and passes schools, then classes, then students, then enrollments to the
/// caller's closures: the order in which a database can store them, each referring only to what
/// came before. Other files are ignored. Ids are the `sourcedId`s, kept as written.
///
/// What counts:
/// - schools are orgs of type `school` (districts and other org types are not);
/// - students are users with role `student` whose `enabledUser` is not `false`; teachers,
///   guardians, administrators and disabled users are left out, and so are their enrollments,
///   without a finding;
/// - a student's grade is the first CEDS code of `grades`: `KG` or `01`…`12`; any other (`PK`,
///   `13`, `UG`, `Other`) or none is an error, since Bridges' programs are for K–12;
/// - enrollments with role `student`;
/// - rows whose `status` is `tobedeleted` are skipped.
///
/// Every problem comes back as a `Diagnostic` naming `folder/file.csv:line`, all of them; rows
/// with a problem are not passed on, and a caller that stored rows as they came must discard
/// them when the result has errors.
///
/// Memory: orgs and classes are kept by id (a few thousand, or tens of thousands), users as a
/// 128-bit fingerprint and a line each, about 50 bytes a user with the dictionary's slack
/// (~50 MB per million users), so dangling references are found without holding the file.
public struct OneRosterReader: Sendable {
    /// The files Bridges reads; each must be in the folder.
    public static let requiredFiles = ["orgs", "classes", "users", "enrollments"]

    static let requiredColumns: [String: [String]] = [
        "orgs": ["sourcedId", "name", "type"],
        "classes": ["sourcedId", "title", "schoolSourcedId"],
        "users": ["sourcedId", "role", "givenName", "familyName", "grades"],
        "enrollments": ["classSourcedId", "userSourcedId", "role"],
    ]

    public let folder: URL
    /// How findings name the folder: what the user typed, such as `district.zip`.
    public let name: String

    public init(folder: URL, name: String? = nil) {
        self.folder = folder
        self.name = name ?? folder.path
    }

    /// Reads the whole export, passing good rows to the closures in dependency order, and
    /// returns the findings, file by file in line order.
    ///
    /// Throws `CSVReadError` with `.fileNotFound` when the folder does not exist, with
    /// `.unreadable` when a file cannot be read (an I/O error, not a problem with the content),
    /// and whatever a closure throws.
    public func read(
        school: (School) throws -> Void,
        schoolClass: (SchoolClass) throws -> Void,
        student: (Student) throws -> Void,
        enrollment: (Enrollment) throws -> Void
    ) throws -> [Diagnostic] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CSVReadError(.fileNotFound, file: name)
        }
        // The export's files must be in the folder itself: a link could lead to any file the
        // user can read (a key, a password file), whose content must not reach a message.
        let links = (["manifest"] + Self.requiredFiles).filter {
            (try? SystemCall.linkStatus(of: folder.appendingPathComponent("\($0).csv").path))?.isSymbolicLink == true
        }
        guard links.isEmpty else {
            return links.map {
                .error(code: "oneroster.symbolic-link",
                    "\($0).csv is a symbolic link; Bridges reads only files that are in the export folder itself: "
                        + "copy the file into the folder in place of the link", file: displayName($0), line: 0)
            }
        }
        var findings = try checkManifest()
        guard !findings.hasErrors else { return findings }

        var files: [String: (csv: CSVReader, header: CSVHeader)] = [:]
        for file in Self.requiredFiles {
            let csv = try CSVReader(
                path: folder.appendingPathComponent("\(file).csv").path, name: displayName(file), followingLinks: false)
            let header: CSVHeader
            do {
                guard let first = try csv.next() else {
                    findings.append(
                        .error(code: "oneroster.empty-file",
                            "the file is empty; a OneRoster file starts with a header row",
                            file: csv.file, line: 0))
                    continue
                }
                header = CSVHeader(first)
            } catch {
                findings += try Self.finding(error)
                continue
            }
            findings += header.check(required: Self.requiredColumns[file]!, file: csv.file)
            files[file] = (csv, header)
        }
        guard !findings.hasErrors, let orgs = files["orgs"], let classes = files["classes"],
            let users = files["users"], let enrollments = files["enrollments"]
        else { return findings }

        var state = State(findings: findings)
        try state.eachRow(orgs.csv, orgs.header) { try $0.org($1, school) }
        try state.eachRow(classes.csv, classes.header) { try $0.schoolClass($1, schoolClass) }
        try state.eachRow(users.csv, users.header) { try $0.user($1, student) }
        try state.eachRow(enrollments.csv, enrollments.header) { try $0.enrollment($1, enrollment) }
        return state.findings
    }

    private func displayName(_ file: String) -> String {
        name.hasSuffix("/") ? "\(name)\(file).csv" : "\(name)/\(file).csv"
    }

    // MARK: Manifest

    /// Checks `manifest.csv`: there, version 1.1, and every file it lists as `bulk` present; the
    /// files Bridges needs must not be `absent` or `delta`.
    private func checkManifest() throws -> [Diagnostic] {
        let file = displayName("manifest")
        let path = folder.appendingPathComponent("manifest.csv").path
        let csv: CSVReader
        do {
            csv = try CSVReader(path: path, name: file, followingLinks: false)
        } catch {
            guard error.kind == .fileNotFound else { throw error }
            return [
                .error(code: "oneroster.no-manifest",
                    "there is no manifest.csv, so this is not a OneRoster CSV export; "
                        + "export the roster as OneRoster 1.1 CSV (bulk)", file: file, line: 0)
            ]
        }
        var findings: [Diagnostic] = []
        /// By lower-case name: the file name as the manifest spells it, its mode, and the line.
        var listed: [String: (file: String, mode: String, line: Int)] = [:]
        do {
            guard let first = try csv.next() else {
                return [.error(code: "oneroster.empty-manifest", "manifest.csv is empty; it must list propertyName,value", file: file, line: 0)]
            }
            let header = CSVHeader(first)
            let headerFindings = header.check(required: ["propertyName", "value"], file: file)
            guard !headerFindings.hasErrors else { return headerFindings }
            let property = header.column("propertyName")!
            let value = header.column("value")!
            while let record = try csv.next() {
                let row = header.row(record)
                let key = row[property].trimmedField
                let setting = row[value].trimmedField
                if key.lowercased() == "oneroster.version" && setting != "1.1" {
                    findings.append(
                        .error(code: "oneroster.version",
                            "this export is OneRoster version '\(setting)'; Bridges reads OneRoster 1.1 CSV: "
                                + "export the roster in version 1.1", file: file, line: row.line))
                } else if key.lowercased().hasPrefix("file.") {
                    let name = String(key.dropFirst("file.".count))
                    listed[name.lowercased()] = (name, setting.lowercased(), row.line)
                }
            }
        } catch {
            return try Self.finding(error)
        }
        for (key, entry) in listed.sorted(by: { $0.value.line < $1.value.line }) {
            let listedFile = entry.file
            let needed = Self.requiredFiles.contains(key)
            switch entry.mode {
            case "bulk":
                if !exists("\(listedFile).csv") {
                    findings.append(
                        .error(code: "oneroster.listed-file-missing",
                            "the manifest lists \(listedFile).csv as bulk, but the export has no \(listedFile).csv; "
                                + "export the roster again", file: file, line: entry.line))
                }
            case "delta" where needed:
                findings.append(
                    .error(code: "oneroster.delta",
                        "\(listedFile).csv is a delta (changes only); Bridges imports a full roster: "
                            + "export in bulk mode", file: file, line: entry.line))
            case "absent" where needed:
                findings.append(
                    .error(code: "oneroster.needed-file-absent",
                        "the manifest says \(listedFile).csv is absent, but Bridges needs "
                            + "\(Self.requiredFiles.map { "\($0).csv" }.joined(separator: ", ")); "
                            + "include them in the export", file: file, line: entry.line))
            default:
                break
            }
        }
        for needed in Self.requiredFiles where listed[needed] == nil && !exists("\(needed).csv") {
            findings.append(
                .error(code: "oneroster.needed-file-missing",
                    "the export has no \(needed).csv; Bridges needs "
                        + "\(Self.requiredFiles.map { "\($0).csv" }.joined(separator: ", "))",
                    file: displayName(needed), line: 0))
        }
        return findings
    }

    private func exists(_ file: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path)
    }

    // MARK: Rows

    /// A syntax error as a finding; an I/O error is thrown, as it is not about the file's content.
    private static func finding(_ error: CSVReadError) throws(CSVReadError) -> [Diagnostic] {
        switch error.kind {
        case .fileNotFound, .unreadable: throw error
        default: return [error.diagnostic]
        }
    }

    /// What the export has said so far about each id, to check the references that follow.
    private struct State {
        enum Org {
            case school
            case other(type: String)
            case deleted
            /// A school row with a problem, reported already: its classes are skipped quietly.
            case rejected
        }

        enum ClassState {
            case usable
            /// Deleted, or reported already: its enrollments are skipped without a second finding.
            case skipped
        }

        enum UserKind: UInt8 {
            case student
            /// A teacher, guardian, disabled or deleted user: enrollments skip them quietly.
            case notStudent
            /// A student row with a problem, reported already.
            case rejected
        }

        struct UserSeen {
            var line: Int32
            var kind: UserKind
        }

        /// Where the file being read has each column, found once per file rather than by name
        /// in every row. A column the file lacks is `nil` and reads as empty.
        struct Columns {
            var sourcedId, status, name, type, title, schoolSourcedId: CSVHeader.Column?
            var enabledUser, role, givenName, familyName, grades, classSourcedId, userSourcedId: CSVHeader.Column?
            var identifier: CSVHeader.Column?

            init(_ header: CSVHeader? = nil) {
                func column(_ name: String) -> CSVHeader.Column? { header?.column(name) }
                sourcedId = column("sourcedId")
                status = column("status")
                name = column("name")
                type = column("type")
                title = column("title")
                schoolSourcedId = column("schoolSourcedId")
                enabledUser = column("enabledUser")
                role = column("role")
                givenName = column("givenName")
                familyName = column("familyName")
                grades = column("grades")
                identifier = column("identifier")
                classSourcedId = column("classSourcedId")
                userSourcedId = column("userSourcedId")
            }
        }

        typealias Field = KeyPath<Columns, CSVHeader.Column?>

        var findings: [Diagnostic]
        /// The file being read, for findings.
        var file = ""
        var columns = Columns()
        var orgs: [String: (org: Org, line: Int)] = [:]
        var classes: [String: (state: ClassState, line: Int)] = [:]
        var users: [IDFingerprint: UserSeen] = [:]

        /// A field's value, trimmed: for ids and codes.
        func value(_ row: CSVRow, _ field: Field) -> String {
            row[columns[keyPath: field]].trimmedField
        }

        /// A name as written apart from white space at either end (reports guard what a
        /// spreadsheet would run), or "" when it is blank.
        func name(_ row: CSVRow, _ field: Field) -> String {
            row[columns[keyPath: field]].trimmedField
        }

        /// Whether `RecordText`'s rule takes each of the row's ids and names; a finding at the
        /// field for each it does not take.
        mutating func checkTexts(_ row: CSVRow, ids: [Field], names: [Field]) -> Bool {
            var good = true
            for (fields, kind) in [(ids, RecordText.Kind.id), (names, .name)] {
                for field in fields {
                    guard let column = columns[keyPath: field] else { continue }
                    let text = row[column].trimmedField
                    if let finding = RecordText.finding(text, in: column, as: kind, file: file, line: row.line) {
                        findings.append(finding)
                        good = false
                    }
                }
            }
            return good
        }

        func isDeleted(_ row: CSVRow) -> Bool {
            row[columns.status].isField("tobedeleted")
        }

        init(findings: [Diagnostic]) {
            self.findings = findings
        }

        /// Passes each non-blank row of `csv` to `body`; a CSV syntax error ends the file with a
        /// finding.
        mutating func eachRow(
            _ csv: CSVReader, _ header: CSVHeader, _ body: (inout State, CSVRow) throws -> Void
        ) throws {
            file = csv.file
            columns = Columns(header)
            while true {
                let record: CSVRecord
                do {
                    guard let next = try csv.next() else { return }
                    record = next
                } catch {
                    findings += try OneRosterReader.finding(error)
                    return
                }
                if record.isBlank { continue }
                try body(&self, header.row(record))
            }
        }

        mutating func error(code: String, _ message: String, _ row: CSVRow) {
            findings.append(.error(code: code, message, file: file, line: row.line))
        }

        /// The required columns left empty, as one finding; `true` when there were none.
        mutating func requireValues(_ fields: [Field], _ row: CSVRow, _ what: String) -> Bool {
            let empty = fields.compactMap { field in
                row[columns[keyPath: field]].isBlankField ? columns[keyPath: field]?.name ?? "?" : nil
            }
            guard !empty.isEmpty else { return true }
            let verb = empty.count == 1 ? "is" : "are"
            error(code: "oneroster.empty-value", "\(empty.joined(separator: ", ")) \(verb) empty; every \(what) row needs a value there", row)
            return false
        }

        mutating func org(_ row: CSVRow, _ yield: (School) throws -> Void) throws {
            let id = value(row, \.sourcedId)
            if isDeleted(row) {
                if !id.isEmpty && orgs[id] == nil { orgs[id] = (.deleted, row.line) }
                return
            }
            guard requireValues([\.sourcedId, \.type], row, "org") else { return }
            if let earlier = orgs[id] {
                error(code: "oneroster.org-twice", "org \(id) appears again (first on line \(earlier.line)); a sourcedId is unique", row)
                return
            }
            let type = value(row, \.type)
            guard type.isField("school") else {
                orgs[id] = (.other(type: type), row.line)
                return
            }
            guard requireValues([\.name], row, "school"), checkTexts(row, ids: [\.sourcedId], names: [\.name]) else {
                orgs[id] = (.rejected, row.line)
                return
            }
            orgs[id] = (.school, row.line)
            try yield(School(id: id, name: name(row, \.name)))
        }

        mutating func schoolClass(
            _ row: CSVRow, _ yield: (SchoolClass) throws -> Void
        ) throws {
            let id = value(row, \.sourcedId)
            if isDeleted(row) {
                if !id.isEmpty && classes[id] == nil { classes[id] = (.skipped, row.line) }
                return
            }
            guard requireValues([\.sourcedId, \.title, \.schoolSourcedId], row, "class"),
                checkTexts(row, ids: [\.sourcedId, \.schoolSourcedId], names: [\.title])
            else {
                if !id.isEmpty && classes[id] == nil { classes[id] = (.skipped, row.line) }
                return
            }
            if let earlier = classes[id] {
                error(code: "oneroster.class-twice", "class \(id) appears again (first on line \(earlier.line)); a sourcedId is unique", row)
                return
            }
            let schoolID = value(row, \.schoolSourcedId)
            switch orgs[schoolID]?.org {
            case .school:
                classes[id] = (.usable, row.line)
                try yield(SchoolClass(id: id, schoolID: schoolID, name: name(row, \.title)))
            case .other(let type):
                classes[id] = (.skipped, row.line)
                error(code: "oneroster.class-org-not-school",
                    "class \(id) belongs to org \(schoolID), which is a \(type) in orgs.csv, not a school; "
                        + "a class's schoolSourcedId must name a school", row)
            case .rejected:
                classes[id] = (.skipped, row.line)
            case .deleted:
                classes[id] = (.skipped, row.line)
                findings.append(
                    .warning(code: "oneroster.class-school-deleted",
                        "class \(id) belongs to school \(schoolID), which orgs.csv marks tobedeleted; "
                            + "the class is skipped",
                        file: file, line: row.line))
            case nil:
                classes[id] = (.skipped, row.line)
                error(code: "oneroster.class-school-missing",
                    "class \(id) belongs to school \(schoolID), which is not in orgs.csv; "
                        + "export the roster again with all its schools", row)
            }
        }

        mutating func user(_ row: CSVRow, _ yield: (Student) throws -> Void) throws {
            let id = value(row, \.sourcedId)
            guard !id.isEmpty else {
                if !isDeleted(row) { error(code: "oneroster.user-id-empty", "sourcedId is empty; every user row needs one", row) }
                return
            }
            let key = IDFingerprint(id)
            if let earlier = users[key] {
                if !isDeleted(row) {
                    error(code: "oneroster.user-twice", "user \(id) appears again (first on line \(earlier.line)); a sourcedId is unique", row)
                }
                return
            }
            let line = Int32(clamping: row.line)
            let isStudent =
                row[columns.role].isField("student") && !row[columns.enabledUser].isField("false")
            guard isStudent && !isDeleted(row) else {
                users[key] = UserSeen(line: line, kind: .notStudent)
                return
            }
            users[key] = UserSeen(line: line, kind: .rejected)
            guard requireValues([\.givenName], row, "student"),
                checkTexts(row, ids: [\.sourcedId, \.identifier], names: [\.givenName, \.familyName])
            else { return }
            let grades = row[columns.grades]
            let first = grades.split(separator: ",").lazy.map { String($0).trimmedField }.first { !$0.isEmpty }
            // The district's student number, kept beside the sourcedId so people can find them by it.
            let identifier = value(row, \.identifier)
            // `grades` is optional in OneRoster 1.1: a student without one is kept, grade unknown.
            guard let grade = Grade.rosterCode(first ?? "") else {
                error(code: "oneroster.grade",
                    "student \(id) has grade '\(first ?? "")', which Bridges does not take: "
                        + Grade.rosterTextHelp, row)
                return
            }
            users[key] = UserSeen(line: line, kind: .student)
            try yield(
                Student(
                    id: id, givenName: name(row, \.givenName),
                    familyName: name(row, \.familyName), grade: grade.grade, gradeCode: grade.code,
                    identifier: identifier.isEmpty ? nil : identifier))
        }

        mutating func enrollment(
            _ row: CSVRow, _ yield: (Enrollment) throws -> Void
        ) throws {
            guard !isDeleted(row), row[columns.role].isField("student") else { return }
            guard requireValues([\.classSourcedId, \.userSourcedId], row, "enrollment") else { return }
            let classID = value(row, \.classSourcedId)
            let userID = value(row, \.userSourcedId)
            var dangling = false
            switch classes[classID]?.state {
            case .usable: break
            case .skipped: return
            case nil:
                dangling = true
                error(code: "oneroster.enrollment-class-missing",
                    "the enrollment names class \(classID), which is not in classes.csv; "
                        + "export the roster again with all its classes", row)
            }
            switch users[IDFingerprint(userID)]?.kind {
            case .student:
                break
            case .notStudent, .rejected:
                return
            case nil:
                dangling = true
                error(code: "oneroster.enrollment-user-missing",
                    "the enrollment names user \(userID), who is not in users.csv; "
                        + "export the roster again with all its users", row)
            }
            guard !dangling else { return }
            try yield(Enrollment(classID: classID, studentID: userID))
        }
    }
}
