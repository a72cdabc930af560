import BridgesCore
import BridgesStore
import BridgesXML
import Foundation

/// What `lesson validate` found.
public struct LessonPlanCheck: Sendable {
    public var files: Int
    public var programs: Int
    public var lessons: Int
    /// Every error and warning, in file order.
    public var diagnostics: [Diagnostic]
}

/// What `lesson load` did: how many programs and lessons were added, given a new version, or
/// already stored with the same content.
public struct LessonPlanLoad: Sendable {
    public var added: Int
    public var updated: Int
    public var unchanged: Int
    /// Warnings (errors stop the load before anything is written).
    public var diagnostics: [Diagnostic]
    public var files: Int
}

/// One lesson of a listing.
/// Not the store's `StoredLessonSummary`: Kit adds whether the program requires it.
public struct LessonListing: Sendable, Hashable {
    public var programID: String
    public var lessonID: String
    public var version: Int
    public var title: String
    public var minutes: Int
    /// Whether the program's latest version requires it; nil when the program no longer lists it.
    public var required: Bool?
}

/// A lesson as stored, for `lesson show`.
/// Not the store's `StoredVersion<Lesson>`: Kit adds the program it belongs to.
public struct StoredLesson: Sendable {
    public var lesson: Lesson
    public var program: Program?
    public var versions: [Int]
    public var loadedAt: String
    public var loadedBy: String
    public var sourcePath: String
}

/// A program as stored, for `lesson show PROGRAM`.
/// Not the store's `StoredVersion<Program>`: Kit adds its lessons' listing.
public struct StoredProgram: Sendable {
    public var program: Program
    public var versions: [Int]
    public var lessons: [LessonListing]
    public var loadedAt: String
    public var loadedBy: String
}

/// Progress of a long operation: what is being done, how far along.
public struct WorkProgress: Sendable {
    public var phase: String
    public var done: Int
    public var total: Int
}

public typealias ProgressHandler = @Sendable (WorkProgress) -> Void

extension Registrar {
    /// Reads and checks lesson plans against the schema and every rule, and against `records`
    /// when given (versions stored with other content, refs to stored lessons). Writes nothing.
    /// Files are read on `processors` threads (the caller's to say: the command line gives the
    /// processor count).
    public static func validateLessonPlans(
        paths: [String], against records: Registrar?, processors: Int, progress: ProgressHandler? = nil
    ) async throws(BridgesError) -> LessonPlanCheck {
        let files = try LessonPlanFiles.expand(paths)
        let diagnostics: [Diagnostic]
        let documents: [LessonPlanDocument]
        if let records {
            // Every file is read and checked first, with no lock taken, so that a busy or
            // read-only database never hides a file's mistakes; only a sound set is then compared
            // with the stored versions, as a load would store it, in a transaction always rolled back.
            let reading = try await read(files, against: records, encode: true, processors: processors, progress: progress)
            var found = reading.diagnostics
            if !found.hasErrors {
                let outcome = try await records.store { () async throws(StoreError) in
                    try await records.database.storeLessonPlans(reading.items, context: WriteContext(actor: "validate", at: records.clock.now), dryRun: true)
                }
                found += versionDiagnostics(outcome)
            }
            diagnostics = found
            documents = reading.items.map(\.document)
        } else {
            let reading = try await read(files, against: nil, encode: false, processors: processors, progress: progress)
            diagnostics = reading.diagnostics
            documents = reading.items.map(\.document)
        }
        return LessonPlanCheck(
            files: files.count,
            programs: documents.filter { if case .program = $0 { true } else { false } }.count,
            lessons: documents.filter { if case .lesson = $0 { true } else { false } }.count,
            diagnostics: diagnostics.sortedByLocation())
    }

    /// Validates, then stores programs, lessons and new versions in one transaction: all of them,
    /// or (on any error) none. Storing overlaps reading, so no lesson's content waits in memory.
    ///
    /// With no database yet, the store builds one and puts it in place only when the
    /// load succeeds: a refused first load leaves no file behind, and a first load of thousands
    /// of lessons writes each page once. Files are read on `processors` threads.
    public static func loadLessonPlans(
        paths: [String], into location: DatabaseLocation, caller: Caller, processors: Int, progress: ProgressHandler? = nil
    ) async throws(BridgesError) -> LessonPlanLoad {
        try caller.require(.loadLessonPlans)
        let actor = caller.name
        if let existing = try await openIfPresent(location, access: .write) {
            return try await existing.loadLessonPlans(paths: paths, caller: caller, processors: processors, progress: progress)
        }
        let files = try LessonPlanFiles.expand(paths)
        let built = try await store({
            try await location.store.createInBulk { store async throws(BridgesError) in
                try await Registrar(store: store, temporaryFolder: location.temporaryFolder, clock: location.clock).load(files, actor: actor, processors: processors, progress: progress)
            }
        }, other: { .internalError("\($0)") })
        if let built { return built }
        // Another command created the database meanwhile: load into it.
        return try await Registrar(location).loadLessonPlans(paths: paths, caller: caller, processors: processors, progress: progress)
    }

    /// Validates against this database, then stores (see the static form).
    public func loadLessonPlans(paths: [String], caller: Caller, processors: Int, progress: ProgressHandler? = nil) async throws(BridgesError) -> LessonPlanLoad {
        try caller.require(.loadLessonPlans)
        let actor = caller.name
        return try await load(LessonPlanFiles.expand(paths), actor: actor, processors: processors, progress: progress)
    }

    private func load(_ files: [String], actor: String, processors: Int, progress: ProgressHandler?) async throws(BridgesError) -> LessonPlanLoad {
        let streamed = try await stream(files, actor: actor, processors: processors, progress: progress)
        if streamed.diagnostics.hasErrors { throw .invalidInput(streamed.diagnostics.sortedByLocation()) }
        let all = (streamed.diagnostics + Self.versionDiagnostics(streamed.outcome)).sortedByLocation()
        if all.hasErrors { throw .invalidInput(all) }
        var load = LessonPlanLoad(added: 0, updated: 0, unchanged: 0, diagnostics: all, files: files.count)
        for (_, change) in streamed.outcome.changes {
            switch change {
            case .added: load.added += 1
            case .newVersion: load.updated += 1
            case .unchanged: load.unchanged += 1
            case .conflict: break
            }
        }
        return load
    }

    /// Reads `files` on every core while this thread stores each sound one, in one transaction
    /// that commits only when nothing at all was wrong (no error in any file, across the files, or
    /// against what is stored).
    ///
    /// The write lock is held from the start of the reading (GRDB begins IMMEDIATE, and the
    /// catalog the rules compare with must be the one the writes go into): other writers wait for
    /// a load, about a second for 5,000 lessons, within their 15 s busy timeout.
    private func stream(_ files: [String], actor: String, processors: Int, progress: ProgressHandler?) async throws(BridgesError) -> Streamed {
        do {
            _ = try LessonPlanReader()
        } catch {
            throw .internalError(Message(error.description))
        }
        let total = files.count
        var checks = LessonPlanChecks(files: files)
        let outcome = try await store { () async throws(StoreError) in
            try await database.storeLessonPlansStreaming(context: WriteContext(actor: actor, at: clock.now)) { stored, sink in
                try LessonPlanReader.forEachReading(files: files, threads: processors, encode: true) { index, reading in
                    checks.add(reading)
                    // After a mistake nothing more is stored (it will all be rolled back), but
                    // every file is still read, so that every mistake is reported.
                    if !checks.hasErrors, let document = reading.document {
                        try sink.store(LessonPlanItem(document: document, sourcePath: reading.file, content: reading.canonicalContent ?? ""))
                    }
                    progress?(WorkProgress(phase: "Loading lesson plans", done: index + 1, total: total))
                }
                checks.finish(stored: stored, againstDatabase: true)
                return !checks.hasErrors
            }
        }
        return Streamed(diagnostics: checks.diagnostics, outcome: outcome)
    }

    private struct Streamed {
        var diagnostics: [Diagnostic]
        var outcome: LessonPlanStoreOutcome
    }

    private static func versionDiagnostics(_ outcome: LessonPlanStoreOutcome) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (item, change) in outcome.changes {
            let (kind, id, version, at): (String, String, Int, SourceLocation)
            switch item.document {
            case .program(let p, let l): (kind, id, version, at) = ("program", p.id, p.version, l.version)
            case .lesson(let lesson, let l): (kind, id, version, at) = ("lesson", lesson.id, lesson.version, l.version)
            }
            switch change {
            case .conflict(let latest):
                diagnostics.append(at.error(code: "lesson-set.version-changed", "\(kind) \(id) version \(version) is already stored with different content: raise the version to \(latest + 1)"))
            case .newVersion(let previous) where version < previous:
                diagnostics.append(at.warning(code: "lesson-set.older-version", "\(kind) \(id) version \(version) is older than the stored version \(previous); it is stored too, but version \(previous) stays the one taught"))
            default: break
            }
        }
        return diagnostics
    }

    private struct Reading {
        var items: [LessonPlanItem]
        var diagnostics: [Diagnostic]
    }

    private static func read(
        _ files: [String], against records: Registrar?, encode: Bool = true, processors: Int, progress: ProgressHandler?
    ) async throws(BridgesError) -> Reading {
        let total = files.count
        let readings: [LessonPlanReading]
        do {
            // Content is encoded only when it will be stored or compared with stored versions.
            readings = try LessonPlanReader.readAll(files: files, threads: processors, outlines: true, encode: encode) { done in
                progress?(WorkProgress(phase: "Reading lesson plans", done: done, total: total))
            }
        } catch {
            throw .internalError(Message(error.description))
        }
        var checks = LessonPlanChecks(files: files)
        for reading in readings { checks.add(reading) }
        let stored: any StoredLessonPlans
        if let records {
            stored = try await records.store { () async throws(StoreError) in try await records.database.catalog() }
        } else {
            stored = NoStoredLessonPlans()
        }
        checks.finish(stored: stored, againstDatabase: records != nil)
        let items = readings.compactMap { reading -> LessonPlanItem? in
            guard let document = reading.document else { return nil }
            let content = reading.canonicalContent ?? ""
            return LessonPlanItem(document: document, sourcePath: reading.file, content: content)
        }
        return Reading(items: items, diagnostics: checks.diagnostics)
    }

    // MARK: reading back

    /// Lessons in each program's teaching order, programs by id.
    public func lessonListing(programID: String?, caller: Caller) async throws(BridgesError) -> [LessonListing] {
        try caller.require(.readLessonPlans)
        return try await lessonListing(programID: programID)
    }

    func lessonListing(programID: String?) async throws(BridgesError) -> [LessonListing] {
        let programs = try await store { () async throws(StoreError) in try await database.programs() }
        if let programID, !programs.contains(where: { $0.id == programID }) {
            throw .notFound(.program(programID), "no program \'\(programID)\' is stored; `\(.lessonList)` shows the stored ones")
        }
        let summaries = try await store { () async throws(StoreError) in try await database.lessonSummaries(programID: programID) }
        var result: [LessonListing] = []
        for program in programs where programID == nil || program.id == programID {
            let mine = summaries.filter { $0.programID == program.id }
            let byID = Dictionary(uniqueKeysWithValues: mine.map { ($0.id, $0) })
            for reference in program.lessons {
                if let lesson = byID[reference.lessonID] {
                    result.append(LessonListing(programID: program.id, lessonID: lesson.id, version: lesson.latestVersion, title: lesson.title, minutes: lesson.minutes, required: reference.required))
                }
            }
            let listed = Set(program.lessons.map(\.lessonID))
            for lesson in mine where !listed.contains(lesson.id) {
                result.append(LessonListing(programID: program.id, lessonID: lesson.id, version: lesson.latestVersion, title: lesson.title, minutes: lesson.minutes, required: nil))
            }
        }
        return result
    }

    public func programs(caller: Caller) async throws(BridgesError) -> [Program] {
        try caller.require(.readLessonPlans)
        return try await programs()
    }

    func programs() async throws(BridgesError) -> [Program] {
        try await store { () async throws(StoreError) in try await database.programs() }
    }

    /// A stored lesson, its latest version unless `version` is given.
    public func lesson(id: String, version: Int?, caller: Caller) async throws(BridgesError) -> StoredLesson? {
        try caller.require(.readLessonPlans)
        return try await lesson(id: id, version: version)
    }

    func lesson(id: String, version: Int?) async throws(BridgesError) -> StoredLesson? {
        guard let stored = try await store({ () async throws(StoreError) in try await database.lesson(id: id, version: version) }) else {
            let versions = try await store { () async throws(StoreError) in try await database.lessonVersions(id: id) }
            if let version, !versions.isEmpty {
                throw .notFound(.lessonVersion(id, version: version), "lesson \(id) has no version \(version); stored versions: \(versions.map(String.init).joined(separator: ", "))")
            }
            return nil
        }
        let program = try await store { () async throws(StoreError) in try await database.program(id: stored.value.programID, version: nil) }
        return StoredLesson(lesson: stored.value, program: program?.value, versions: stored.versions, loadedAt: stored.loadedAt, loadedBy: stored.loadedBy, sourcePath: stored.sourcePath)
    }

    /// A stored program with its lessons, its latest version unless `version` is given.
    public func program(id: String, version: Int?, caller: Caller) async throws(BridgesError) -> StoredProgram? {
        try caller.require(.readLessonPlans)
        return try await program(id: id, version: version)
    }

    func program(id: String, version: Int?) async throws(BridgesError) -> StoredProgram? {
        guard let stored = try await store({ () async throws(StoreError) in try await database.program(id: id, version: version) }) else { return nil }
        let lessons = try await lessonListing(programID: id)
        return StoredProgram(program: stored.value, versions: stored.versions, lessons: lessons, loadedAt: stored.loadedAt, loadedBy: stored.loadedBy)
    }
}

/// The checks of a set of lesson-plan files beyond each file's own: gathered one reading at a
/// time (in file order), then run across the files.
private struct LessonPlanChecks {
    let files: [String]
    private(set) var diagnostics: [Diagnostic] = []
    /// Whether any of `diagnostics` is an error (kept as they come: asked after every file).
    private(set) var hasErrors = false
    /// Every sound document, as outlines.
    private(set) var documents: [LessonPlanDocument] = []
    /// The program.xml of each folder, and the folders whose program.xml could not be read.
    private var folderPrograms: [String: Program] = [:]
    private var brokenProgramFolders: Set<String> = []
    private var unreadable: [String: String] = [:]
    private var lessonFolders: Set<String> = []

    init(files: [String]) { self.files = files }

    mutating func add(_ reading: LessonPlanReading) {
        diagnostics += reading.diagnostics
        if reading.hasErrors { hasErrors = true }
        let folder = LessonPlanFiles.folder(of: reading.file)
        let name = LessonPlanFiles.name(of: reading.file)
        if name == "program.xml" {
            if case .program(let program, _)? = reading.document { folderPrograms[folder] = program } else { brokenProgramFolders.insert(folder) }
        } else if reading.document == nil {
            unreadable[LessonPlanFiles.removingExtension(name)] = reading.file
        }
        if let document = reading.document {
            if case .lesson = document { lessonFolders.insert(folder) }
            documents.append(document)
        }
    }

    /// Runs the rules across the files. `againstDatabase`: the set is checked for storing into a
    /// database (load, or validate with one), so a lesson's program must be stored or loaded with it.
    mutating func finish(stored: any StoredLessonPlans, againstDatabase: Bool) {
        // A lesson file named alone still belongs to the program of its folder.
        let named = Set(files)
        var sideFolders: Set<String> = []
        for folder in lessonFolders.sorted() where folderPrograms[folder] == nil && !brokenProgramFolders.contains(folder) {
            let programFile = folder + "/program.xml"
            guard !named.contains(programFile), FileManager.default.fileExists(atPath: programFile) else { continue }
            if let reader = try? LessonPlanReader() {
                let side = reader.read(file: programFile)
                if case .program(let program, _)? = side.document {
                    folderPrograms[folder] = program
                    sideFolders.insert(folder)
                } else {
                    brokenProgramFolders.insert(folder)
                }
            }
        }
        if againstDatabase, !sideFolders.isEmpty {
            // The folder's program.xml tells the rules which program a lesson is in, but it is not
            // being loaded: unless that program is already stored, the lesson would point at
            // nothing (the database's foreign key), so say so at the lesson's program attribute.
            let programsInRun = Set(documents.compactMap { if case .program(let p, _) = $0 { p.id } else { nil } })
            var missing: [String: Bool] = [:]
            for document in documents {
                guard case .lesson(let lesson, let at) = document else { continue }
                let folder = LessonPlanFiles.folder(of: document.file)
                guard sideFolders.contains(folder), folderPrograms[folder]?.id == lesson.programID, !programsInRun.contains(lesson.programID) else { continue }
                let isMissing = missing[lesson.programID] ?? (stored.latestStoredProgram(lesson.programID) == nil)
                missing[lesson.programID] = isMissing
                if isMissing {
                    diagnostics.append(at.program.error(code: "lesson-set.program-not-stored",
                        "lesson \(lesson.id) belongs to program \"\(lesson.programID)\", which is not stored: load its folder (\(folder)) or its program.xml (\(folder)/program.xml) first, or with this file"))
                    hasErrors = true
                }
            }
        }
        let broken = brokenProgramFolders
        let checked = documents.filter {
            if case .lesson = $0 { return !broken.contains(LessonPlanFiles.folder(of: $0.file)) }
            return true
        }
        let programs = folderPrograms
        let found = LessonPlanSetRules.check(
            documents: checked,
            folderProgram: { programs[LessonPlanFiles.folder(of: $0.file)] },
            stored: stored,
            unreadableFiles: unreadable)
        diagnostics += found
        if found.hasErrors { hasErrors = true }
    }
}

