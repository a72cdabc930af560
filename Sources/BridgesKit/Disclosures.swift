import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

/// One output recorded in the disclosure log: a report, a printed certificate, a badge, a
/// student's record (FERPA 34 CFR 99.32 asks for a record of each disclosure kept with the
/// student's records).
/// Not the store's `DisclosureEntry`: the filters are read out of their stored JSON, and it encodes as `student record` shows it.
public struct Disclosure: Sendable, Hashable, Codable {
    public var id: Int64
    /// ISO 8601 UTC, to the second.
    public var at: String
    /// Who asked for it (`--actor`).
    public var actor: String
    /// `export attendance`, `certificate print`, `certificate badge`, `student record` …
    public var kind: String
    /// The filters as given (program, school, from, to, student, certificate …).
    public var filters: [String: String]
    /// Rows (or pages, or credentials) written.
    public var rows: Int
    /// The file it went to, or `standard output`.
    public var destination: String
    /// Why, as given with `--purpose`; nil when none was given.
    public var purpose: String?
    /// Whether the output names students.
    public var namesStudents: Bool
    /// How many students it named.
    public var students: Int
}

extension Registrar {
    /// The longest purpose kept: a sentence or two, not a letter.
    public static let maximumPurposeLength = 500

    /// A purpose as it will be stored: trimmed; nil when none was given. Control characters
    /// (a line break in a log line) and overlong text are refused (`.usage`).
    static func checkedPurpose(_ purpose: String?) throws(BridgesError) -> String? {
        guard let purpose else { return nil }
        let trimmed = purpose.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .usage("\(field: .purpose) is empty; say why the records are disclosed (to whom, what for)") }
        if trimmed.unicodeScalars.contains(where: RecordText.isControl) {
            throw .usage("\(field: .purpose) has a control character (a tab, a line break, an escape); write it on one line")
        }
        if trimmed.unicodeScalars.count > maximumPurposeLength {
            throw .usage("\(field: .purpose) is longer than \(maximumPurposeLength) characters; say it in a sentence or two")
        }
        return trimmed
    }

    /// Records one disclosure in one write transaction that first runs `publish` (which puts
    /// the finished output at its name and says where it went). If publishing or recording
    /// fails, nothing is recorded, and the caller must take the output back.
    func recordDisclosure(
        kind: String, filters: [(String, String?)], rows: Int, purpose: String?, actor: String, namesStudents: Bool,
        students: some DisclosedStudents, publish: () throws(BridgesError) -> String
    ) async throws(BridgesError) {
        var given: [String: String] = [:]
        for case let (name, value?) in filters { given[name] = value }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(given)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let entry = DisclosureEntry(
            at: WriteContext(actor: actor, at: clock.now).at, actor: actor, kind: kind, filters: json, rowCount: rows, destination: "",
            purpose: purpose, namesStudents: namesStudents)
        var publishFailure: BridgesError?
        do {
            _ = try await database.recordDisclosure(entry, students: { each in try students.forEach(each) }) {
                do throws(BridgesError) {
                    return try publish()
                } catch {
                    publishFailure = error
                    throw error
                }
            }
        } catch {
            if let publishFailure { throw publishFailure }
            throw .io("the disclosure could not be recorded (\(error)), so the \(kind) was not written; nothing was disclosed")
        }
    }

    /// How a disclosed file takes its name.
    enum Naming {
        /// Replace whatever is at the path (a certificate's page, as before).
        case replacing
        /// A name Bridges chose: a taken one gets `-2`, `-3` … before the extension.
        case numbered
        /// A name the person gave: a taken one is refused.
        case refusingToReplace
    }

    /// Writes `contents` (a page, a credential, a record) as a private file at `path` and
    /// records it as a disclosure in the same transaction; if the recording fails, the file is
    /// removed again. Returns where it went (in `folder`: as people are shown it, which is also
    /// what the disclosure log records).
    @discardableResult
    func writeDisclosed(
        _ contents: String, to path: String, naming: Naming = .replacing, shownIn folder: ReportFolder? = nil, kind: String,
        filters: [(String, String?)], rows: Int, purpose: String?, actor: String, students: [String]
    ) async throws(BridgesError) -> String {
        let file: PrivateFile
        do throws(PrivateFileError) {
            file = try PrivateFile(beside: path)
            let failure = Array(contents.utf8).withUnsafeBytes { bytes -> PrivateFileError? in
                do throws(PrivateFileError) {
                    try file.write(bytes)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
        } catch {
            throw BridgesError(folder?.shown(error) ?? error)
        }
        var published: String?
        do {
            try await recordDisclosure(
                kind: kind, filters: filters, rows: rows, purpose: purpose, actor: actor, namesStudents: !students.isEmpty,
                students: students
            ) { () throws(BridgesError) -> String in
                let place = try Self.publish(file, at: path, naming: naming, shownIn: folder)
                published = place
                return folder?.shown(place) ?? place
            }
        } catch {
            file.discard()
            if let published { unlink(published) }
            throw error
        }
        let place = published ?? path
        return folder?.shown(place) ?? place
    }

    private static func publish(_ file: PrivateFile, at path: String, naming: Naming, shownIn folder: ReportFolder?) throws(BridgesError) -> String {
        switch naming {
        case .replacing, .refusingToReplace:
            do throws(PrivateFileError) {
                try file.publish(at: path, replacing: naming == .replacing)
                return path
            } catch {
                if error.kind == .exists {
                    throw .usage("\(folder?.shown(path) ?? path) already exists; remove it, or pass \(field: .force) to replace it. Nothing was written")
                }
                throw BridgesError(folder?.shown(error) ?? error)
            }
        case .numbered:
            let dot = PrivateFile.name(of: path).lastIndex(of: ".").map { _ in path.lastIndex(of: ".")! }
            let stem = dot.map { String(path[..<$0]) } ?? path
            let suffix = dot.map { String(path[$0...]) } ?? ""
            for number in 1...999 {
                let candidate = number == 1 ? path : "\(stem)-\(number)\(suffix)"
                do throws(PrivateFileError) {
                    try file.publish(at: candidate, replacing: false)
                    return candidate
                } catch {
                    if error.kind != .exists { throw BridgesError(folder?.shown(error) ?? error) }
                }
            }
            throw .io("\(folder?.shown(path) ?? path) and 998 numbered copies of it already exist; move old files away and try again")
        }
    }

    /// Writes one disclosed document (a page, a credential, a record) to `destination` and
    /// records the disclosure: a file as `writeDisclosed(_:to:)` writes one (a path given taken
    /// as `naming` says; in a default folder under `name`, as `inFolder` says); into a sink the
    /// caller owns (standard output) recorded first, then written, so nothing leaves unrecorded.
    /// Returns the path people are told; nil for a sink.
    func writeDisclosed(
        _ contents: String, to destination: ReportDestination, name: String, naming: Naming, inFolder: Naming, kind: String,
        filters: [(String, String?)], rows: Int, purpose: String?, actor: String, students: [String]
    ) async throws(BridgesError) -> String? {
        try destination.checkFromRoot()
        switch destination {
        case .path(let path, let shownIn):
            return try await writeDisclosed(
                contents, to: path, naming: naming, shownIn: shownIn, kind: kind, filters: filters, rows: rows, purpose: purpose, actor: actor, students: students)
        case .defaultFolder(let folder):
            return try await writeDisclosed(
                contents, to: folder.file(name), naming: inFolder, shownIn: folder, kind: kind, filters: filters, rows: rows, purpose: purpose,
                actor: actor, students: students)
        case .sink(let sink, let recipient):
            try await recordDisclosure(
                kind: kind, filters: filters, rows: rows, purpose: purpose, actor: actor, namesStudents: !students.isEmpty, students: students
            ) { () throws(BridgesError) -> String in recipient }
            do throws(ByteSinkError) {
                try sink.write(Array(contents.utf8))
            } catch {
                throw .io("writing \(recipient) failed: \(error.reason); the output is incomplete (the disclosure was recorded)")
            }
            return nil
        }
    }

    /// The disclosures recorded, oldest first: every one, or only those that named `studentID`
    /// (an unknown student is `.notFound`, unless the log names them); `from`/`to`
    /// (`YYYY-MM-DD`, inclusive) on the day they were made, in UTC.
    public func disclosures(studentID: String? = nil, from: String? = nil, to: String? = nil, caller: Caller) async throws(BridgesError) -> [Disclosure] {
        try caller.require(.readStudentRecords)
        try caller.requireEverySchool("the disclosure log")
        return try await disclosures(studentID: studentID, from: from, to: to)
    }

    func disclosures(studentID: String? = nil, from: String? = nil, to: String? = nil) async throws(BridgesError) -> [Disclosure] {
        let fromDate = try from.map { (text) throws(BridgesError) in try Self.date(text, field: .from) }
        let toDate = try to.map { (text) throws(BridgesError) in try Self.date(text, field: .to) }
        if let fromDate, let toDate, toDate < fromDate {
            throw .usage("\(field: .from) \(fromDate) is after \(field: .to) \(toDate); give the earlier date first")
        }
        let studentID = studentID?.trimmingWhitespace()
        let entries = try await store { () async throws(StoreError) in
            try await database.disclosures(studentID: studentID, from: fromDate?.description, to: toDate?.description)
        }
        if let studentID, entries.isEmpty, !(try await store { () async throws(StoreError) in try await database.studentExists(studentID) }),
           try await store({ () async throws(StoreError) in try await database.disclosures(studentID: studentID, from: nil, to: nil) }).isEmpty {
            throw .notFound(.student(studentID), "no student \'\(studentID)\' is in the roster or the disclosure log; `\(.rosterList)` shows the students")
        }
        return entries.map { entry in
            let filters = (try? JSONDecoder().decode([String: String].self, from: Data(entry.filters.utf8))) ?? [:]
            return Disclosure(
                id: entry.id ?? 0, at: entry.at, actor: entry.actor, kind: entry.kind, filters: filters, rows: entry.rowCount,
                destination: entry.destination, purpose: entry.purpose, namesStudents: entry.namesStudents,
                students: entry.studentCount)
        }
    }
}
