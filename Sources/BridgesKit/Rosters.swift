import BridgesCSV
import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

/// What `roster import` did, or in a dry run would do.
public struct RosterImport: Sendable, Hashable {
    /// The forms cli.md names.
    public enum Format: String, Sendable, Hashable {
        /// `school_id,school_name,class_id,class_name,student_id,given_name,family_name,grade`.
        case rosterCSV = "roster CSV"
        /// A folder in OneRoster 1.1 CSV bulk form.
        case oneRosterFolder = "OneRoster folder"
        /// The same, zipped.
        case oneRosterZip = "OneRoster zip"
    }

    /// How many records of one kind the file has, and what became of them.
    public struct Tally: Sendable, Hashable {
        /// Not stored before.
        public var added: Int
        /// Stored before with another name (schools, classes) or name or grade (students).
        public var changed: Int
        public var unchanged: Int
        public var total: Int { added + changed + unchanged }
    }

    public var format: Format
    public var schools: Tally
    public var classes: Tally
    public var students: Tally
    public var enrollmentsAdded: Int
    /// Students no longer listed in a class the file lists, taken off it (their past marks stay).
    public var enrollmentsRemoved: Int
    public var enrollmentsUnchanged: Int
    /// Families' directory-information opt-outs recorded, and withdrawn, by the roster CSV's
    /// `directory_opt_out` column (each audited).
    public var directoryOptOutsRecorded = 0
    public var directoryOptOutsWithdrawn = 0
    /// Warnings (errors stop the import before anything is written).
    public var diagnostics: [Diagnostic]
    /// True when nothing was written because it was asked for (`--dry-run`).
    public var dryRun: Bool

    /// `schools 3 (2 new, 1 renamed), classes …, students … (… new, … updated), enrolments …
    /// added, … removed`.
    public var summary: String {
        "schools \(schools.total) (\(schools.added) new, \(schools.changed) renamed), "
            + "classes \(classes.total) (\(classes.added) new, \(classes.changed) renamed), "
            + "students \(students.total) (\(students.added) new, \(students.changed) updated), "
            + "enrolments \(enrollmentsAdded) added, \(enrollmentsRemoved) removed"
            + (directoryOptOutsRecorded + directoryOptOutsWithdrawn == 0 ? ""
                : ", directory-information opt-outs \(directoryOptOutsRecorded) recorded, \(directoryOptOutsWithdrawn) withdrawn")
    }
}

extension Registrar {
    /// Imports a roster: a plain roster CSV file, or a OneRoster 1.1 CSV bulk export as a folder
    /// or a .zip (cli.md, "Rosters and officers").
    ///
    /// One transaction, streaming: rows go into the database as they are read, and if any row has
    /// an error the whole import is rolled back and every error is thrown as `.invalidInput`
    /// (exit 65). Importing again updates names and grades (audited old → new) and makes each
    /// class's enrolment the file's (students left out are taken off the class, audited; classes
    /// not in the file are left alone); nothing is duplicated and past marks are never touched.
    /// A dry run does all of it and rolls back, so its counts are exactly what an import would do.
    public func importRoster(
        path: String, caller: Caller, dryRun: Bool = false, progress: ProgressHandler? = nil
    ) async throws(BridgesError) -> RosterImport {
        try caller.require(.importRoster)
        let actor = caller.name
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw .notFound(.file(path), "\(path): no such file or folder")
        }
        let context = WriteContext(actor: actor, at: clock.now)
        do {
            if isFolder.boolValue {
                return try await importOneRoster(folder: URL(fileURLWithPath: path, isDirectory: true), name: path, format: .oneRosterFolder, context: context, dryRun: dryRun, progress: progress, caller: caller)
            }
            if Self.isZip(path) {
                return try await OneRosterArchive.withUnpacked(zip: path, name: path, in: temporaryFolder) { folder in
                    try await importOneRoster(folder: folder, name: path, format: .oneRosterZip, context: context, dryRun: dryRun, progress: progress, caller: caller)
                }
            }
            return try await importRosterCSV(path: path, context: context, dryRun: dryRun, progress: progress, caller: caller)
        } catch {
            throw BridgesError(error) { error in
                guard let error = error as? CSVReadError else { return .internalError("the roster import failed: \(error)") }
                switch error.kind {
                case .fileNotFound: return .notFound(.file(error.file), "\(error.file): no such file or folder")
                default: return .io(Message(error.description))
                }
            }
        }
    }

    private func importRosterCSV(path: String, context: WriteContext, dryRun: Bool, progress: ProgressHandler?, caller: Caller) async throws -> RosterImport {
        let outside = OutsideSchools(caller)
        let reader = try RosterCSVReader(path: path)
        let meter = ProgressMeter(phase: "Importing \(path)", total: progress == nil ? 0 : LineCount.of([path]), handler: progress)
        let shared = HandedOver(reader)
        let outcome = try await database.importRoster(source: path, context: context, dryRun: dryRun) { importer in
            // The file is read and checked on a thread of its own while this one stores.
            try OrderedPipe<RosterEntry>.stream(produce: { emit in try shared.value.read(emit) }) { entry in
                guard outside.allows(entry.school.id, file: path, line: entry.line) else { return }
                try importer.school(entry.school)
                try importer.schoolClass(entry.schoolClass, file: path, line: entry.line)
                try importer.student(entry.student)
                if let optedOut = entry.directoryOptOut {
                    try importer.directoryOptOut(studentID: entry.student.id, optedOut: optedOut, file: path, line: entry.line)
                }
                _ = try importer.enrollment(entry.enrollment)
                meter.step()
            } + outside.findings
        }
        return try result(outcome, format: .rosterCSV, dryRun: dryRun)
    }

    private func importOneRoster(
        folder: URL, name: String, format: RosterImport.Format, context: WriteContext, dryRun: Bool, progress: ProgressHandler?, caller: Caller
    ) async throws -> RosterImport {
        let outside = OutsideSchools(caller)
        var classesOutside = Set<String>()
        let orgsFile = name.hasSuffix("/") ? "\(name)orgs.csv" : "\(name)/orgs.csv"
        let reader = OneRosterReader(folder: folder, name: name)
        let classesFile = name.hasSuffix("/") ? "\(name)classes.csv" : "\(name)/classes.csv"
        let total = progress == nil ? 0 : LineCount.of(OneRosterReader.requiredFiles.map { folder.appendingPathComponent("\($0).csv").path })
        let meter = ProgressMeter(phase: "Importing \(name)", total: total, handler: progress)
        let enrollmentsFile = name.hasSuffix("/") ? "\(name)enrollments.csv" : "\(name)/enrollments.csv"
        var repeats: [Diagnostic] = []
        var unnamedRepeats = 0
        let outcome = try await database.importRoster(source: name, context: context, dryRun: dryRun) { importer in
            let findings = try reader.read(
                school: { school in
                    guard outside.allows(school.id, file: orgsFile, line: 0) else { return }
                    try importer.school(school); meter.step()
                },
                schoolClass: { schoolClass in
                    guard outside.allows(schoolClass.schoolID, file: classesFile, line: 0) else {
                        classesOutside.insert(schoolClass.id)
                        return
                    }
                    try importer.schoolClass(schoolClass, file: classesFile, line: 0); meter.step()
                },
                student: { try importer.student($0); meter.step() },
                enrollment: { enrollment in
                    if classesOutside.contains(enrollment.classID) { return }
                    if try !importer.enrollment(enrollment) {
                        // Each repeat is named, up to a limit that keeps a broken export's
                        // million repeats from filling memory; the rest are counted.
                        if repeats.count < 100 {
                            repeats.append(.warning(code: "oneroster.enrollment-twice",
                                "student \(enrollment.studentID) is enrolled in class \(enrollment.classID) more than once; "
                                    + "the repeat is ignored", file: enrollmentsFile, line: 0))
                        } else {
                            unnamedRepeats += 1
                        }
                    }
                    meter.step()
                })
            if unnamedRepeats > 0 {
                repeats.append(.warning(code: "oneroster.enrollment-twice",
                    "\(unnamedRepeats) more enrolments are repeats, also ignored", file: enrollmentsFile, line: 0))
            }
            return findings + repeats + outside.findings
        }
        return try result(outcome, format: format, dryRun: dryRun)
    }

    private func result(_ outcome: RosterImportOutcome, format: RosterImport.Format, dryRun: Bool) throws(BridgesError) -> RosterImport {
        let diagnostics = outcome.findings.sortedByLocation()
        if diagnostics.hasErrors { throw .invalidInput(diagnostics) }
        let c = outcome.counts
        return RosterImport(
            format: format,
            schools: .init(added: c.schoolsAdded, changed: c.schoolsRenamed, unchanged: c.schoolsUnchanged),
            classes: .init(added: c.classesAdded, changed: c.classesRenamed, unchanged: c.classesUnchanged),
            students: .init(added: c.studentsAdded, changed: c.studentsUpdated, unchanged: c.studentsUnchanged),
            enrollmentsAdded: c.enrollmentsAdded, enrollmentsRemoved: c.enrollmentsRemoved,
            enrollmentsUnchanged: c.enrollmentsUnchanged, directoryOptOutsRecorded: c.directoryOptOutsRecorded,
            directoryOptOutsWithdrawn: c.directoryOptOutsWithdrawn, diagnostics: diagnostics, dryRun: dryRun)
    }

    /// A .zip by its first bytes (`PK\u{3}\u{4}`, or `PK\u{5}\u{6}` when empty), whatever its name.
    private static func isZip(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return path.lowercased().hasSuffix(".zip") }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 4)) ?? Data())
        if head.count == 4, head[0] == 0x50, head[1] == 0x4B, (head[2], head[3]) == (3, 4) || (head[2], head[3]) == (5, 6) {
            return true
        }
        return path.lowercased().hasSuffix(".zip")
    }

    // MARK: Listing

    /// The enrolled students, by school, class, family name, given name and id, streamed from
    /// one consistent read: `shape` first, then `row` for each. An unknown `schoolID` or
    /// `classID`, or a class that is not at the given school, is `.notFound` (exit 66).
    public func listRoster(
        schoolID: String?, classID: String?, student: String? = nil, caller: Caller, shape: (RosterListingShape) -> Void,
        row: (RosterListingRow) -> Void
    ) async throws(BridgesError) {
        try caller.require(.readRosters)
        // Another school's is answered as one that does not exist.
        if let schoolID, !caller.sees(school: schoolID) {
            throw .notFound(.school(schoolID), "no school '\(schoolID)' is in the roster; `\(.rosterList)` shows the schools")
        }
        if let classID, let found = try await schoolClass(id: classID), !caller.sees(school: found.schoolID) {
            throw .notFound(.class(classID), "no class '\(classID)' is in the roster; `\(.rosterList)` shows the classes")
        }
        try await listRoster(schoolID: schoolID, classID: classID, student: student, shape: shape, row: { found in
            if caller.sees(school: found.schoolID) { row(found) }
        })
    }

    func listRoster(
        schoolID: String?, classID: String?, student: String? = nil, shape: (RosterListingShape) -> Void,
        row: (RosterListingRow) -> Void
    ) async throws(BridgesError) {
        if let schoolID, try await store({ () async throws(StoreError) in try await database.school(id: schoolID) }) == nil {
            throw .notFound(.school(schoolID), "no school \'\(schoolID)\' is stored; `\(.rosterList)` shows every school's classes")
        }
        if let classID {
            guard let stored = try await store({ () async throws(StoreError) in try await database.schoolClass(id: classID) }) else {
                throw .notFound(.class(classID), "no class \'\(classID)\' is stored; `\(.rosterList)` shows every class")
            }
            if let schoolID, stored.schoolID != schoolID {
                throw .notFound(.class(classID), "class \(classID) is at school \(stored.schoolID), not \(schoolID)")
            }
        }
        try await store { () async throws(StoreError) in
            try await database.rosterListing(
                schoolID: schoolID, classID: classID, student: student,
                shape: shape, row: row)
        }
    }

    /// The stored school with this id, if any.
    public func school(id: String, caller: Caller) async throws(BridgesError) -> School? {
        try caller.require(.readRosters)
        return caller.sees(school: id) ? try await school(id: id) : nil
    }

    func school(id: String) async throws(BridgesError) -> School? {
        try await store { () async throws(StoreError) in try await database.school(id: id) }
    }

    /// The stored class with this id, if any.
    func schoolClass(id: String) async throws(BridgesError) -> SchoolClass? {
        try await store { () async throws(StoreError) in try await database.schoolClass(id: id) }
    }
}

/// Reports a streaming import's progress every few thousand rows, against a line count.
private final class ProgressMeter {
    private let phase: String
    private let total: Int
    private let handler: ProgressHandler?
    private var done = 0

    init(phase: String, total: Int, handler: ProgressHandler?) {
        self.phase = phase
        self.total = total
        self.handler = handler
    }

    func step() {
        done += 1
        if done & 4095 == 0, let handler { handler(WorkProgress(phase: phase, done: min(done, total), total: total)) }
    }
}

/// Counts lines fast (64 KiB reads, a byte scan), to give an import's progress a total.
private enum LineCount {
    static func of(_ paths: [String]) -> Int {
        var lines = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        for path in paths {
            guard let fd = try? SystemCall.openForReading(path) else { continue }
            defer { try? SystemCall.close(fd) }
            while true {
                let got = (try? SystemCall.read(fd, into: buffer.baseAddress!, count: buffer.count)) ?? 0
                guard got > 0 else { break }
                for byte in UnsafeRawBufferPointer(rebasing: buffer[0..<got]) where byte == 0x0A { lines += 1 }
            }
        }
        return max(lines - paths.count, 1)
    }
}

extension Registrar {
    /// A dry run of a roster import when the database may not exist yet: what importing into
    /// `location` would do, writing nothing and creating no database (a missing database is as good
    /// as an empty one, so the store stands in a scratch one).
    public static func dryRunRosterImport(
        path: String, location: DatabaseLocation, caller: Caller, progress: ProgressHandler? = nil
    ) async throws(BridgesError) -> RosterImport {
        try caller.require(.importRoster)
        if let records = try await openIfPresent(location) {
            return try await records.importRoster(path: path, caller: caller, dryRun: true, progress: progress)
        }
        guard FileManager.default.fileExists(atPath: path) else { throw .notFound(.file(path), "\(path): no such file or folder") }
        return try await store({
            try await location.store.withScratchStore { store async throws(BridgesError) in
                try await Registrar(store: store, temporaryFolder: location.temporaryFolder, clock: location.clock).importRoster(path: path, caller: caller, dryRun: true, progress: progress)
            }
        }, other: { .internalError("\($0)") })
    }
}

/// The rows of a roster at a school outside the importing caller's (a school admin's): each an
/// error, so nothing is imported, up to a hundred named and the rest counted.
private final class OutsideSchools {
    let caller: Caller
    private var named: [Diagnostic] = []
    private var more = 0

    init(_ caller: Caller) {
        self.caller = caller
    }

    /// Whether the caller may import a row of `school`; when not, the row is noted.
    func allows(_ school: String, file: String, line: Int) -> Bool {
        if caller.sees(school: school) { return true }
        if named.count < 100 {
            let yours = (caller.schools ?? []).sorted().joined(separator: ", ")
            named.append(.error(code: "roster.school-not-yours", "school \(school) is not one of yours (\(yours)); import only your schools' rows", file: file, line: line))
        } else {
            more += 1
        }
        return false
    }

    var findings: [Diagnostic] {
        more == 0 ? named : named + [.error(code: "roster.school-not-yours", "\(more) more rows are of schools not yours", file: named.last?.file ?? "", line: 0)]
    }
}
