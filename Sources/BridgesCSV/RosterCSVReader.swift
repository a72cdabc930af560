import BridgesCore

/// Reads the plain roster CSV of cli.md, one row per student in a class, and checks every row.
///
/// The header must name the columns in `RosterCSVReader.columns`, in any order and any letter
/// case; other columns are ignored. Each good row goes to the caller's closure as soon as it is
/// read, so a million-student file never sits in memory. Every problem, in every row, comes back
/// as a `Diagnostic` (`file:line: error: …`); rows with a problem are not passed on. A caller that
/// stores rows as they come must discard them all when the result has errors (one transaction).
///
/// Checks across rows, so a roster cannot say two things about one id:
/// - a school id with two names; a class id at two schools or with two names;
/// - a student id with two names or two grades;
/// - the same student in the same class twice (a warning; the repeat is ignored);
/// - a student said to have opted out on one row and not on another (`directory_opt_out`).
///
/// The optional column `directory_opt_out` records a family's choice about directory information
/// (FERPA): `yes`, `true` or `1` opts out, `no`, `false` or `0` withdraws an opt-out (any letter
/// case), and a blank cell leaves what is recorded as it is, so that an export from a system that
/// does not track it never undoes an opt-out recorded with `bridges student opt-out`.
///
/// Memory for those checks: schools and classes are kept with their names (a class per 25
/// students is about 40,000 classes per million students); each student costs a 128-bit
/// fingerprint of the id, a hash of the names, the grade and a line, and each enrollment a
/// fingerprint and a line: about 100 bytes per row with the dictionaries' slack, whatever the ids
/// and names look like (measured: 150 MB at most for a million rows, 2.6 s in a release build).
///
/// Not `Sendable`: it holds the `CSVReader` cursor.
public struct RosterCSVReader {
    public static let columns = [
        "school_id", "school_name", "class_id", "class_name", "student_id", "given_name", "family_name", "grade",
    ]

    /// The optional column of a family's directory-information opt-out.
    public static let optOutColumn = "directory_opt_out"

    /// `yes`/`true`/`1` → true, `no`/`false`/`0` → false, blank → nil (leave it as recorded);
    /// anything else is not a value of the column (`.none` of the outer optional).
    public static func optOutValue(_ field: String) -> Bool?? {
        switch field.trimmedField.lowercased() {
        case "": .some(nil)
        case "yes", "true", "1", "y": .some(true)
        case "no", "false", "0", "n": .some(false)
        default: .none
        }
    }

    private let csv: CSVReader

    /// Reads rows from `csv`, which names the file in findings.
    public init(_ csv: CSVReader) {
        self.csv = csv
    }

    /// Opens the file at `path`; `name` is how findings name it (the path by default). Throws
    /// `CSVReadError` (`.fileNotFound`, `.unreadable`).
    public init(path: String, name: String? = nil) throws(CSVReadError) {
        self.csv = try CSVReader(path: path, name: name)
    }

    /// Reads every row, passing each good one to `entry`, and returns the findings in line order.
    ///
    /// Throws `CSVReadError` when the file cannot be read (an I/O error), and whatever `entry`
    /// throws. A CSV syntax error (an unclosed quote, text that is not UTF-8) is returned as a
    /// finding; reading stops there, since the rows after it cannot be told apart reliably.
    public func read(_ entry: (RosterEntry) throws -> Void) throws -> [Diagnostic] {
        var checker = Checker(file: csv.file)
        let header: CSVHeader
        do {
            guard let first = try csv.next() else {
                return [
                    .error(code: "roster.empty-file",
                        "the file is empty; its first row must name the columns \(Self.columns.joined(separator: ","))",
                        file: csv.file, line: 0)
                ]
            }
            header = CSVHeader(first)
        } catch {
            return try Self.finding(error)
        }
        let headerFindings = header.check(required: Self.columns, file: csv.file)
        guard !headerFindings.hasErrors else { return headerFindings }
        checker.findings = headerFindings
        let columns = Columns(header)
        while true {
            let record: CSVRecord
            do {
                guard let next = try csv.next() else { break }
                record = next
            } catch {
                checker.findings += try Self.finding(error)
                break
            }
            if record.isBlank { continue }
            if let row = checker.check(header.row(record), columns: columns) {
                try entry(row)
            }
        }
        return checker.findings
    }

    /// A syntax error as a finding; an I/O error is thrown, as it is not about the file's content.
    private static func finding(_ error: CSVReadError) throws(CSVReadError) -> [Diagnostic] {
        switch error.kind {
        case .fileNotFound, .unreadable: throw error
        default: return [error.diagnostic]
        }
    }

    /// The roster's columns, found once in the header.
    private struct Columns {
        let schoolID, schoolName, classID, className, studentID, givenName, familyName, grade: CSVHeader.Column
        let optOut: CSVHeader.Column?

        init(_ header: CSVHeader) {
            // `check(required:)` has made sure that every one is there.
            schoolID = header.column("school_id")!
            schoolName = header.column("school_name")!
            classID = header.column("class_id")!
            className = header.column("class_name")!
            studentID = header.column("student_id")!
            givenName = header.column("given_name")!
            familyName = header.column("family_name")!
            grade = header.column("grade")!
            optOut = header.column(RosterCSVReader.optOutColumn)
        }
    }

    /// The per-file memory of what each id was said to be, and the findings so far.
    private struct Checker {
        struct SchoolSeen {
            var name: String
            var line: Int
        }

        struct ClassSeen {
            var schoolID: String
            var name: String
            var line: Int
        }

        /// Compact on purpose: see the cost in `RosterCSVReader`'s documentation.
        struct StudentSeen {
            var namesHash: Int
            var line: Int32
            var grade: Int8
            /// 0 blank so far, 1 yes, 2 no (`directory_opt_out`).
            var optOut: Int8 = 0
        }

        let file: String
        var findings: [Diagnostic] = []
        var schools: [String: SchoolSeen] = [:]
        var classes: [String: ClassSeen] = [:]
        var students: [IDFingerprint: StudentSeen] = [:]
        var enrollments: [IDFingerprint: Int32] = [:]
        /// The school and class of the last good row.
        var lastSchoolID = "", lastSchoolName = "", lastClassID = "", lastClassName = ""

        init(file: String) {
            self.file = file
        }

        mutating func error(code: String, _ message: String, _ line: Int) {
            findings.append(.error(code: code, message, file: file, line: line))
        }

        /// Whether `RecordText`'s rule takes the value; a finding when it does not.
        mutating func checkText(_ value: String, _ column: CSVHeader.Column, _ kind: RecordText.Kind, _ line: Int)
            -> Bool
        {
            guard let finding = RecordText.finding(value, in: column, as: kind, file: file, line: line) else {
                return true
            }
            findings.append(finding)
            return false
        }

        /// The row's values when it is good; otherwise `nil`, with findings for every problem.
        mutating func check(_ row: CSVRow, columns: Columns) -> RosterEntry? {
            let line = row.line
            let fields = row.record.fields
            let headerCount = row.header.names.count
            if fields.count > headerCount, fields[headerCount...].contains(where: { !$0.isBlankField }) {
                error(code: "csv.field-count",
                    "the row has \(fields.count) fields but the header has \(headerCount): "
                        + "put a value that contains a comma in double quotes", line)
                return nil
            }
            let schoolID = row[columns.schoolID].trimmedField
            // Ids and names are trimmed at either end (a trailing space would sort "Tim " apart
            // from "Tim"); names keep their inner spaces and are otherwise kept as written.
            let schoolName = RosterCSVReader.name(row[columns.schoolName])
            let classID = row[columns.classID].trimmedField
            let className = RosterCSVReader.name(row[columns.className])
            let studentID = row[columns.studentID].trimmedField
            let givenName = RosterCSVReader.name(row[columns.givenName])
            let familyName = RosterCSVReader.name(row[columns.familyName])
            let gradeText = row[columns.grade].trimmedField

            var good = true
            // One rule for ids and names, the one officers and every other reader use.
            good = checkText(schoolID, columns.schoolID, .id, line) && good
            good = checkText(schoolName, columns.schoolName, .name, line) && good
            good = checkText(classID, columns.classID, .id, line) && good
            good = checkText(className, columns.className, .name, line) && good
            good = checkText(studentID, columns.studentID, .id, line) && good
            good = checkText(givenName, columns.givenName, .name, line) && good
            good = checkText(familyName, columns.familyName, .name, line) && good
            guard good else { return nil }
            // The common row has every value: only a row that lacks one builds the list.
            if schoolID.isEmpty || schoolName.isEmpty || classID.isEmpty || className.isEmpty || studentID.isEmpty
                || givenName.isEmpty || gradeText.isEmpty {
                let required: [(CSVHeader.Column, String)] = [
                    (columns.schoolID, schoolID), (columns.schoolName, schoolName), (columns.classID, classID),
                    (columns.className, className), (columns.studentID, studentID), (columns.givenName, givenName),
                    (columns.grade, gradeText),
                ]
                let empty = required.filter { $0.1.isEmpty }.map(\.0.name)
                good = false
                let short =
                    fields.count < headerCount
                    ? " (the row has \(fields.count) of the header's \(headerCount) fields)" : ""
                let verb = empty.count == 1 ? "is" : "are"
                error(code: "roster.empty-value", "\(Self.list(empty)) \(verb) empty\(short); every student row needs a value there", line)
            }
            var optOut: Bool?
            if let column = columns.optOut {
                let text = row[column]
                if let value = RosterCSVReader.optOutValue(text) {
                    optOut = value
                } else {
                    good = false
                    error(code: "roster.opt-out-value",
                        "\(column.name) '\(text.trimmedField)' is not yes or no: use yes, no, true, false, 1 or 0, "
                            + "or leave it blank to keep what is recorded", line)
                }
            }
            var grade: (grade: Grade?, code: String)?
            if !gradeText.isEmpty {
                grade = Grade.rosterCode(gradeText)
                if grade == nil {
                    good = false
                    error(code: "roster.grade", "grade '\(gradeText)' is not one Bridges takes: \(Grade.rosterTextHelp)", line)
                }
            }

            // Rows come class by class: the school and class of the row before need no lookup.
            let sameAsLastRow = schoolID == lastSchoolID && schoolName == lastSchoolName && classID == lastClassID
                && className == lastClassName
            if !sameAsLastRow && !schoolID.isEmpty && !schoolName.isEmpty {
                if let seen = schools[schoolID] {
                    if seen.name != schoolName {
                        good = false
                        error(code: "roster.school-name-conflict",
                            "school \(schoolID) is named '\(schoolName)' here but '\(seen.name)' on line \(seen.line); "
                                + "a school id must have one name", line)
                    }
                } else {
                    schools[schoolID] = SchoolSeen(name: schoolName, line: line)
                }
            }
            if !sameAsLastRow && !classID.isEmpty && !className.isEmpty && !schoolID.isEmpty {
                if let seen = classes[classID] {
                    if seen.schoolID != schoolID {
                        good = false
                        error(code: "roster.class-school-conflict",
                            "class \(classID) is at school \(schoolID) here but at school \(seen.schoolID) on line "
                                + "\(seen.line); a class id belongs to one school, "
                                + "so give the two classes different ids",
                            line)
                    } else if seen.name != className {
                        good = false
                        error(code: "roster.class-name-conflict",
                            "class \(classID) is named '\(className)' here but '\(seen.name)' on line \(seen.line); "
                                + "a class id must have one name", line)
                    }
                } else {
                    classes[classID] = ClassSeen(schoolID: schoolID, name: className, line: line)
                }
            }
            if !studentID.isEmpty && !givenName.isEmpty, let grade {
                var hasher = Hasher()
                hasher.combine(givenName)
                hasher.combine(familyName)
                let seen = StudentSeen(
                    namesHash: hasher.finalize(), line: Int32(clamping: line), grade: Grade.codeKey(grade),
                    optOut: optOut.map { $0 ? 1 : 2 } ?? 0)
                let key = IDFingerprint(studentID)
                if let earlier = students[key] {
                    if earlier.namesHash != seen.namesHash {
                        good = false
                        error(code: "roster.student-name-conflict",
                            "student \(studentID) is named '\(Self.fullName(givenName, familyName))' here but "
                                + "differently on line \(earlier.line); a student id must have one name on every row",
                            line)
                    }
                    if earlier.grade != seen.grade {
                        good = false
                        let earlierGrade = Grade.code(ofKey: earlier.grade)
                        error(code: "roster.student-grade-conflict",
                            "student \(studentID) is in grade \(grade.code) here but grade \(earlierGrade) on line "
                                + "\(earlier.line); a student has one grade", line)
                    }
                    if seen.optOut != 0 {
                        if earlier.optOut == 0 {
                            students[key]?.optOut = seen.optOut
                        } else if earlier.optOut != seen.optOut {
                            good = false
                            error(code: "roster.opt-out-conflict",
                                "student \(studentID) has \(RosterCSVReader.optOutColumn) \(seen.optOut == 1 ? "yes" : "no") here "
                                    + "but \(earlier.optOut == 1 ? "yes" : "no") on an earlier row; a family's choice is one "
                                    + "for the student: give it once, or the same on every row", line)
                        }
                    }
                } else {
                    students[key] = seen
                }
            }
            guard good, let grade else { return nil }
            (lastSchoolID, lastSchoolName, lastClassID, lastClassName) = (schoolID, schoolName, classID, className)

            let pair = IDFingerprint(classID, studentID)
            if let earlier = enrollments[pair] {
                findings.append(
                    .warning(code: "roster.enrollment-twice",
                        "student \(studentID) is listed in class \(classID) again (first on line \(earlier)); "
                            + "the repeat is ignored", file: file, line: line))
                return nil
            }
            enrollments[pair] = Int32(clamping: line)
            return RosterEntry(
                school: School(id: schoolID, name: schoolName),
                schoolClass: SchoolClass(id: classID, schoolID: schoolID, name: className),
                student: Student(
                    id: studentID, givenName: givenName, familyName: familyName, grade: grade.grade, gradeCode: grade.code),
                enrollment: Enrollment(classID: classID, studentID: studentID),
                line: line, directoryOptOut: optOut)
        }

        static func fullName(_ given: String, _ family: String) -> String {
            family.isEmpty ? given : given + " " + family
        }

        /// `a`, `a and b`, `a, b and c`.
        static func list(_ names: [String]) -> String {
            guard names.count > 1 else { return names.first ?? "" }
            return names.dropLast().joined(separator: ", ") + " and " + names.last!
        }
    }

    /// A name as written apart from white space at either end, or "" when it is blank.
    static func name(_ field: String) -> String {
        field.trimmedField
    }
}
