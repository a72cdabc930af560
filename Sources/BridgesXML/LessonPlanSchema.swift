import BridgesCore
import CLessonPlanSchema
import CLibXML2

/// The lesson-plan XSD, compiled once and shared by every thread.
///
/// The schema is `Curricula/lesson-plan.xsd` itself, compiled into the program, so what authors'
/// editors check and what `bridges lesson validate` checks cannot drift apart. libxml2 allows one
/// compiled schema to serve many validation contexts at once; each thread makes its own context.
final class LessonPlanSchema: @unchecked Sendable {
    static let namespace = "urn:bridges:lesson-plan:1"

    /// The compiled schema, or why it would not compile (a broken build, never a user's fault).
    static let shared: Result<LessonPlanSchema, LessonPlanReaderError> = {
        _ = SafeXMLParser.initialized
        bridges_silence_generic_errors()
        let bytes = bridges_lesson_plan_xsd()!
        let length = bridges_lesson_plan_xsd_length()
        guard let parser = xmlSchemaNewMemParserCtxt(UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self), Int32(length)) else {
            return .failure(.schemaUnavailable("could not create the schema parser"))
        }
        defer { xmlSchemaFreeParserCtxt(parser) }
        xmlSchemaSetParserStructuredErrors(parser, { _, _ in }, nil)
        guard let schema = xmlSchemaParse(parser) else {
            return .failure(.schemaUnavailable("the built-in lesson-plan.xsd does not compile"))
        }
        return .success(LessonPlanSchema(schema))
    }()

    let schema: xmlSchemaPtr

    private init(_ schema: xmlSchemaPtr) { self.schema = schema }

    deinit { xmlSchemaFree(schema) }

    /// The schema text, for `bridges lesson schema` and tests.
    static var text: String {
        let bytes = bridges_lesson_plan_xsd()!
        return String(decoding: UnsafeBufferPointer(start: bytes, count: bridges_lesson_plan_xsd_length()), as: UTF8.self)
    }
}

/// One thread's validation context; reuse it for many documents.
final class SchemaValidator {
    private let context: xmlSchemaValidCtxtPtr
    private let collector = SchemaErrors()

    init(schema: LessonPlanSchema) {
        context = xmlSchemaNewValidCtxt(schema.schema)
        xmlSchemaSetValidStructuredErrors(context, { userData, error in
            guard let userData, let error else { return }
            Unmanaged<SchemaErrors>.fromOpaque(userData).takeUnretainedValue().errors.append(RawSchemaError(error.pointee))
        }, Unmanaged.passUnretained(collector).toOpaque())
    }

    deinit { xmlSchemaFreeValidCtxt(context) }

    /// Validates a document and returns every error, located and said for people.
    func validate(_ parsed: ParsedXML, file: String) -> [Diagnostic] {
        collector.errors.removeAll(keepingCapacity: true)
        let status = xmlSchemaValidateDoc(context, parsed.document)
        var diagnostics = SchemaMessage.diagnostics(for: collector.errors, in: parsed, file: file)
        if status != 0 && diagnostics.isEmpty {
            diagnostics.append(.error(code: "schema.invalid", "the file does not match the lesson-plan schema", file: file, line: 1, column: 1))
        }
        return diagnostics
    }
}

private final class SchemaErrors {
    var errors: [RawSchemaError] = []
}

/// What libxml2 said about one schema violation, copied out of its buffers.
struct RawSchemaError {
    var message: String
    var line: Int
    var node: xmlNodePtr?

    init(_ error: xmlError) {
        message = error.message.map { ParserMessage.oneLine(String(cString: $0)) } ?? ""
        line = Int(error.line)
        node = error.node?.assumingMemoryBound(to: xmlNode.self)
    }
}

/// Errors that are the program's, not the author's.
public enum LessonPlanReaderError: Error, Sendable, CustomStringConvertible {
    case schemaUnavailable(String)

    public var description: String {
        switch self {
        case .schemaUnavailable(let why): "internal error: \(why)"
        }
    }
}
