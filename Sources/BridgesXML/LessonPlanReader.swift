import BridgesCore
import BridgesSystem
import Foundation

/// What reading one lesson-plan file gave: the decoded program or lesson when the file is sound,
/// and every error and warning found in it.
public struct LessonPlanReading: Sendable {
    public var file: String
    public var document: LessonPlanDocument?
    public var diagnostics: [Diagnostic]
    /// The document's canonical content, when `readAll` was asked to keep outlines.
    public var canonicalContent: String?

    public var hasErrors: Bool { diagnostics.hasErrors }
}

/// Reads lesson-plan files: safe XML, the shipped XSD, then the rules one file can break.
///
/// A reader holds one thread's libxml2 validation context: use one per thread (`readAll` does).
public final class LessonPlanReader {
    private let validator: SchemaValidator

    public init() throws(LessonPlanReaderError) {
        switch LessonPlanSchema.shared {
        case .success(let schema): validator = SchemaValidator(schema: schema)
        case .failure(let error): throw error
        }
    }

    /// The XSD the program validates with (Curricula/lesson-plan.xsd as built in).
    public static var schemaText: String { LessonPlanSchema.text }

    /// Reads a file from disk. `file` is the path as the user wrote it, used in diagnostics.
    /// Without `keepsContent` a lesson's teaching text is checked but not kept (see
    /// `LessonPlanDecoder.keepsContent`): for when only the checks and the outline are wanted.
    ///
    /// With `encodes`, a sound document's canonical content comes back too; a lesson's is then
    /// written straight from the tree (`LessonContentWriter`), and its teaching text is not kept
    /// in the document whatever `keepsContent` says.
    public func read(file: String, keepsContent: Bool = true, encodes: Bool = false) -> LessonPlanReading {
        switch LessonPlanFileBytes.read(file) {
        case .bytes(let bytes): return read(bytes: bytes, file: file, keepsContent: keepsContent, encodes: encodes)
        case .refused(let diagnostic): return LessonPlanReading(file: file, document: nil, diagnostics: [diagnostic], canonicalContent: nil)
        }
    }

    /// Reads a lesson plan held in memory.
    public func read(bytes: [UInt8], file: String, keepsContent: Bool = true, encodes: Bool = false) -> LessonPlanReading {
        var diagnostics: [Diagnostic] = []
        var content: String?
        let document: LessonPlanDocument? = {
            guard let parsed = SafeXMLParser.parse(bytes, file: file, diagnostics: &diagnostics) else { return nil }
            if let root = parsed.root, root.namespaceURI != LessonPlanSchema.namespace {
                let found = root.namespaceURI.map { "the namespace '\($0)'" } ?? "no namespace"
                let decoder = LessonPlanDecoder(parsed: parsed, file: file)
                diagnostics.append(decoder.location(of: root).error(code: "xml.namespace",
                    "<\(root.localName)> is in \(found); lesson plans use xmlns=\"\(LessonPlanSchema.namespace)\" on the root element, as in <\(root.localName == "program" ? "program" : "lesson") xmlns=\"\(LessonPlanSchema.namespace)\" …>"))
                return nil
            }
            let schemaInstance = SchemaInstanceAttributes.check(parsed, file: file)
            if !schemaInstance.isEmpty {
                diagnostics.append(contentsOf: schemaInstance)
                return nil
            }
            let schemaErrors = validator.validate(parsed, file: file)
            diagnostics.append(contentsOf: schemaErrors)
            // A program is small and always decoded whole; a lesson being encoded is written from
            // the tree, so its text is not decoded.
            let isProgram = parsed.root?.isNamed("program") ?? false
            var decoder = LessonPlanDecoder(parsed: parsed, file: file, keepsContent: isProgram || (keepsContent && !encodes))
            let document = decoder.decode()
            guard schemaErrors.hasErrors else {
                diagnostics.append(contentsOf: decoder.diagnostics)
                if encodes, !diagnostics.hasErrors, case .lesson(let lesson, _)? = document, let root = parsed.root {
                    content = LessonContentWriter(root: root, lesson: lesson).json()
                }
                return document
            }
            // A teacher should see every mistake at once, so the rules run on a file the schema
            // refused too (the decoder never relies on the structure). What they say about a line
            // the schema already flagged would only repeat it in other words (a defaulted value,
            // an empty element), so only findings on other lines are kept. No document comes
            // out of a refused file.
            let flagged = Set(schemaErrors.map(\.line))
            diagnostics.append(contentsOf: decoder.diagnostics.filter { !flagged.contains($0.line) })
            return nil
        }()
        if let document {
            diagnostics.append(contentsOf: Self.fileNameRule(document, file: file))
        }
        let sound = !diagnostics.hasErrors
        var reading = LessonPlanReading(file: file, document: sound ? document : nil, diagnostics: diagnostics, canonicalContent: sound ? content : nil)
        if encodes, sound, reading.canonicalContent == nil, let document {
            do {
                reading.canonicalContent = try document.canonicalContent()
            } catch {
                reading.document = nil
                reading.diagnostics.append(.error(code: "internal.encode", "internal error: cannot encode the lesson plan: \(error)", file: file, line: 0))
            }
        }
        return reading
    }

    /// A file read for the checks across a set of files: a sound document's outline (no teaching
    /// text is decoded), with its canonical content, written from the tree, when `encode`.
    func readOutline(file: String, encode: Bool) -> LessonPlanReading {
        var reading = read(file: file, keepsContent: false, encodes: encode)
        reading.document = reading.document?.outline
        return reading
    }

    /// A program lives in `program.xml`; a lesson never does.
    private static func fileNameRule(_ document: LessonPlanDocument, file: String) -> [Diagnostic] {
        let name = (file as NSString).lastPathComponent
        switch document {
        case .program(_, let at) where name != "program.xml":
            return [at.root.error(code: "lesson-set.program-file-name", "a <program> belongs in a file named program.xml in the program's folder; rename this file")]
        case .lesson(let lesson, let at) where name == "program.xml":
            return [at.root.error(code: "lesson-set.lesson-in-program-file", "program.xml holds the <program>, but this file holds lesson '\(lesson.id)'; move the lesson to its own file, e.g. \(lesson.id).xml")]
        default:
            return []
        }
    }

    /// Reads many files on `threads` threads (the caller says how many: the command line gives
    /// the processor count), each with its own reader. Results come back in the order of
    /// `files`; `progress` is called with the number done so far.
    ///
    /// With `outlines`, each thread keeps only a sound document's outline
    /// (`LessonPlanDocument.outline`), having first encoded its canonical content when `encode`
    /// (loading, or comparing with stored versions): the costly encoding runs on every thread
    /// and thousands of lessons fit in little memory.
    public static func readAll(
        files: [String], threads: Int, outlines: Bool = false, encode: Bool = true,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws(LessonPlanReaderError) -> [LessonPlanReading] {
        _ = try LessonPlanReader()
        var readings: [LessonPlanReading] = []
        readings.reserveCapacity(files.count)
        OrderedPipe<LessonPlanReading>.map(
            count: files.count, workers: threads, window: max(64, 4 * threads),
            makeWorker: { worker(files: files, outlines: outlines, encode: encode) }
        ) { index, reading in
            readings.append(reading)
            progress?(index + 1)
        }
        return readings
    }

    /// What one thread of `readAll` or `forEachReading` reads file number `index` with.
    private static func worker(files: [String], outlines: Bool, encode: Bool) -> (Int) -> LessonPlanReading {
        guard let reader = try? LessonPlanReader() else {
            return { index in
                LessonPlanReading(file: files[index], document: nil, diagnostics: [.error(code: "internal.reader", "internal error: could not start the lesson-plan reader", file: files[index], line: 0)], canonicalContent: nil)
            }
        }
        return { index in outlines ? reader.readOutline(file: files[index], encode: encode) : reader.read(file: files[index]) }
    }
}

extension LessonPlanReader {
    /// Reads many files on `threads` threads and hands each reading to `body` on the calling
    /// thread, in the order of `files`, as soon as it and those before it are read; then forgets
    /// it. Workers run at most `window` files ahead of `body`, so memory stays flat however many
    /// files there are, and `body` (storing, say) overlaps the reading.
    ///
    /// Readings are as `readAll(outlines: true, encode:)` gives them: a sound document's outline,
    /// with its canonical content when `encode`.
    public static func forEachReading(
        files: [String], threads: Int, encode: Bool, window: Int = 64,
        _ body: (_ index: Int, _ reading: LessonPlanReading) throws -> Void
    ) throws {
        _ = try LessonPlanReader()
        try OrderedPipe<LessonPlanReading>.map(
            count: files.count, workers: threads, window: window,
            makeWorker: { worker(files: files, outlines: true, encode: encode) },
            consume: body)
    }
}

/// Reads a file's bytes, refusing what cannot be a lesson plan before it is all in memory.
enum LessonPlanFileBytes {
    case bytes([UInt8])
    case refused(Diagnostic)

    static func read(_ file: String) -> LessonPlanFileBytes {
        let descriptor: Int32
        do {
            descriptor = try SystemCall.openForReading(file)
        } catch {
            return .refused(.error(code: "file.cannot-open", "cannot open the file: \(error.message)", file: file, line: 0))
        }
        defer { try? SystemCall.close(descriptor) }
        let status: FileStatus
        do {
            status = try SystemCall.status(of: descriptor)
        } catch {
            return .refused(.error(code: "file.cannot-read", "cannot read the file: \(error.message)", file: file, line: 0))
        }
        if !status.isRegularFile {
            return .refused(.error(code: "file.not-regular", "this is not a regular file", file: file, line: 0))
        }
        let limit = SafeXMLParser.maximumFileBytes
        if Int(status.size) > limit {
            return .refused(.error(code: "file.too-large", "the file is over \(limit / 1_048_576) MB; lesson plans are far smaller, so this is not one", file: file, line: 1, column: 1))
        }
        // Read what fstat promised, and keep going in case the file grew; never past the limit.
        var bytes = [UInt8](repeating: 0, count: Int(status.size) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                if bytes.count > limit {
                    return .refused(.error(code: "file.too-large", "the file is over \(limit / 1_048_576) MB; lesson plans are far smaller, so this is not one", file: file, line: 1, column: 1))
                }
                bytes.append(contentsOf: repeatElement(0, count: 65536))
            }
            let read = bytes.withUnsafeMutableBytes { buffer in
                Result { () throws(SystemCallError) in try SystemCall.read(descriptor, into: buffer.baseAddress! + count, count: buffer.count - count) }
            }
            let got: Int
            switch read {
            case .success(let read): got = read
            case .failure(let error): return .refused(.error(code: "file.cannot-read", "cannot read the file: \(error.message)", file: file, line: 0))
            }
            if got == 0 { break }
            count += got
        }
        bytes.removeSubrange(count...)
        return .bytes(bytes)
    }
}
