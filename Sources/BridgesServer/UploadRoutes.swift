import BridgesCore
import BridgesKit
import BridgesSystem
import Foundation
import HTTPTypes
import Hummingbird

/// `POST /api/v1/rosters[?dry-run=true]` (server.md): the body, a roster CSV or a OneRoster zip,
/// streamed into a private temporary file with a size limit, then imported as `roster import`
/// does; diagnostics name the file as the client named it.
enum UploadRoutes {
    /// The largest roster accepted: a district's OneRoster export is a few megabytes.
    static let rosterLimit = 64 * 1024 * 1024

    static func add(to router: Router<BridgesRequestContext>, operations: Operations) {
        router.group("api/v1").post("rosters") { request, context -> Response in
            let caller = try context.requireCaller()
            let query = request.uri.queryParameters
            let dryRun = query["dry-run"].map { $0 == "true" || $0 == "1" || $0 == "yes" } ?? false
            let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let isZip: Bool
            switch type {
            case "text/csv", "application/csv": isZip = false
            case "application/zip", "application/x-zip-compressed": isZip = true
            default:
                throw Problem(status: .unsupportedMediaType, detail: "send the roster as text/csv (a roster CSV) or application/zip (a OneRoster export)")
            }
            let shownName = clientName(query["filename"].map(String.init), zip: isZip)
            let upload = try await Upload.receive(request, limit: rosterLimit, diskName: isZip ? "roster.zip" : "roster.csv", in: operations.scratchFolder)
            defer { upload.remove() }
            let imported: RosterImport
            do {
                imported = try await operations.importRoster(path: upload.path, dryRun: dryRun, caller: caller)
            } catch var problem as Problem {
                problem.detail = upload.renamed(problem.detail, to: shownName)
                problem.diagnostics = problem.diagnostics.map { upload.renamed($0, to: shownName) }
                throw problem
            }
            return try APIRoutes.json(RosterOut(imported, file: shownName, renamed: { upload.renamed($0, to: shownName) }), status: dryRun ? .ok : .created)
        }
    }

    /// The largest lesson-plan upload: a program of a hundred lessons is well under a megabyte.
    static let lessonPlanLimit = 16 * 1024 * 1024

    /// `POST /api/v1/lesson-plans`: one lesson or program file (application/xml), or a program's
    /// folder zipped (application/zip), loaded as `lesson load` does.
    static func addLessonPlans(to router: Router<BridgesRequestContext>, operations: Operations) {
        router.group("api/v1").post("lesson-plans") { request, context -> Response in
            let caller = try context.requireCaller()
            let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let isZip: Bool
            switch type {
            case "application/xml", "text/xml": isZip = false
            case "application/zip", "application/x-zip-compressed": isZip = true
            default:
                throw Problem(status: .unsupportedMediaType, detail: "send one lesson plan as application/xml, or a program's folder zipped as application/zip")
            }
            let given = request.uri.queryParameters["filename"].map(String.init)
            let shownName = given.flatMap { clientName($0, zip: isZip) == $0 ? $0 : nil } ?? (isZip ? "upload.zip" : "upload.xml")
            let upload = try await Upload.receive(request, limit: lessonPlanLimit, diskName: isZip ? "lessons.zip" : "lesson.xml", in: operations.scratchFolder)
            defer { upload.remove() }
            let loaded: LessonPlanLoad
            do {
                loaded = try await operations.loadLessonPlans(path: upload.path, zip: isZip, name: shownName, caller: caller)
            } catch var problem as Problem {
                problem.detail = upload.renamed(problem.detail, to: shownName)
                problem.diagnostics = problem.diagnostics.map { upload.renamed($0, to: shownName) }
                throw problem
            }
            return try APIRoutes.json(LessonPlansOut(
                file: shownName, files: loaded.files, added: loaded.added, updated: loaded.updated, unchanged: loaded.unchanged,
                diagnostics: loaded.diagnostics.map { upload.renamed($0, to: shownName) }.map(RosterOut.Finding.init)), status: .created)
        }
    }

    /// The name diagnostics use: the client's, as one line of printable text, else `upload.csv`.
    static func clientName(_ given: String?, zip: Bool) -> String {
        let fallback = zip ? "upload.zip" : "upload.csv"
        guard let given = given?.trimmingCharacters(in: .whitespaces), !given.isEmpty, given.count <= 200,
              !given.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return fallback }
        return given
    }
}

/// A request body written to a new private file (0600, in a private folder of its own) as it
/// arrives; more than `limit` bytes is a 413 and leaves nothing behind.
final class Upload: Sendable {
    let folder: String
    let path: String

    private init(folder: String, path: String) {
        self.folder = folder
        self.path = path
    }

    static func receive(_ request: Request, limit: Int, diskName: String, in scratch: String) async throws -> Upload {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw tooLarge(limit)
        }
        let folder: String
        do {
            folder = try PrivateFile.makePrivateFolder(in: scratch, tag: "upload")
        } catch {
            throw Problem(status: .internalServerError, detail: "the server could not store the upload; nothing was written")
        }
        let path = "\(folder)/\(diskName)"
        do {
            let file = try PrivateFile(beside: path)
            defer { file.discard() }
            var received = 0
            for try await buffer in request.body {
                received += buffer.readableBytes
                if received > limit { throw tooLarge(limit) }
                try buffer.withUnsafeReadableBytes { bytes in try file.write(bytes) }
            }
            try file.publish(replacing: false)
        } catch {
            try? SystemCall.removeEmptyFolder(folder)
            if let problem = error as? Problem { throw problem }
            throw Problem(status: .internalServerError, detail: "the server could not store the upload; nothing was written")
        }
        return Upload(folder: folder, path: path)
    }

    static func tooLarge(_ limit: Int) -> Problem {
        Problem(status: .contentTooLarge, detail: "the upload is larger than this server accepts (\(limit / 1024 / 1024) MiB); nothing was written")
    }

    /// Removes the file and its folder.
    func remove() {
        try? SystemCall.unlink(path)
        try? SystemCall.removeEmptyFolder(folder)
    }

    /// `text` with the private file's path replaced by the name the client gave it.
    func renamed(_ text: String, to name: String) -> String {
        text.replacingOccurrences(of: path, with: name)
    }

    func renamed(_ diagnostic: Diagnostic, to name: String) -> Diagnostic {
        var diagnostic = diagnostic
        diagnostic.file = renamed(diagnostic.file, to: name)
        diagnostic.text = diagnostic.text.mapText { renamed($0, to: name) }
        return diagnostic
    }
}

/// What `roster import` says: the counts, the warnings, whether it was a dry run.
struct RosterOut: Encodable {
    struct Tally: Encodable { var added: Int; var changed: Int; var unchanged: Int }
    struct Finding: Encodable {
        var file: String; var line: Int; var column: Int?; var severity: String; var code: String; var message: String

        /// A diagnostic in the API's words.
        init(_ diagnostic: Diagnostic) {
            file = diagnostic.file; line = diagnostic.line; column = diagnostic.column
            severity = diagnostic.severity.rawValue; code = diagnostic.code; message = diagnostic.text.rendered(in: APIWords())
        }
    }
    var file: String
    var format: String
    var dryRun: Bool
    var schools: Tally
    var classes: Tally
    var students: Tally
    var enrollmentsAdded: Int
    var enrollmentsRemoved: Int
    var enrollmentsUnchanged: Int
    var summary: String
    var diagnostics: [Finding]

    init(_ imported: RosterImport, file: String, renamed: (Diagnostic) -> Diagnostic) {
        self.file = file
        format = imported.format.rawValue
        dryRun = imported.dryRun
        schools = Tally(added: imported.schools.added, changed: imported.schools.changed, unchanged: imported.schools.unchanged)
        classes = Tally(added: imported.classes.added, changed: imported.classes.changed, unchanged: imported.classes.unchanged)
        students = Tally(added: imported.students.added, changed: imported.students.changed, unchanged: imported.students.unchanged)
        enrollmentsAdded = imported.enrollmentsAdded
        enrollmentsRemoved = imported.enrollmentsRemoved
        enrollmentsUnchanged = imported.enrollmentsUnchanged
        summary = imported.summary
        diagnostics = imported.diagnostics.map(renamed).map(Finding.init)
    }
}

/// What `lesson load` says.
struct LessonPlansOut: Encodable {
    var file: String
    var files: Int
    var added: Int
    var updated: Int
    var unchanged: Int
    var diagnostics: [RosterOut.Finding]
}
