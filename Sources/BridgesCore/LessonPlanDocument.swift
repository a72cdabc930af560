/// A place in a source file, 1-based.
public struct SourceLocation: Sendable, Hashable, Codable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public func error(code: String, _ message: String) -> Diagnostic {
        .error(code: code, message, file: file, line: line, column: column)
    }

    public func warning(code: String, _ message: String) -> Diagnostic {
        .warning(code: code, message, file: file, line: line, column: column)
    }
}

/// One decoded lesson-plan file: a program or a lesson, with the places that rules across files
/// (refs, program ids, grades) need to point at.
public enum LessonPlanDocument: Sendable, Hashable {
    case program(Program, ProgramLocations)
    case lesson(Lesson, LessonLocations)

    public var file: String {
        switch self {
        case .program(_, let at): at.root.file
        case .lesson(_, let at): at.root.file
        }
    }

    public var id: String {
        switch self {
        case .program(let program, _): program.id
        case .lesson(let lesson, _): lesson.id
        }
    }

    public var version: Int {
        switch self {
        case .program(let program, _): program.version
        case .lesson(let lesson, _): lesson.version
        }
    }
}

public struct ProgramLocations: Sendable, Hashable {
    /// The `<program` start tag.
    public var root: SourceLocation
    /// The `version` attribute, where "bump the version" points.
    public var version: SourceLocation
    /// Each `<lesson ref>` in order.
    public var lessonRefs: [SourceLocation]
    public var grades: SourceLocation
    public var certificate: SourceLocation

    public init(root: SourceLocation, version: SourceLocation, lessonRefs: [SourceLocation], grades: SourceLocation, certificate: SourceLocation) {
        self.root = root
        self.version = version
        self.lessonRefs = lessonRefs
        self.grades = grades
        self.certificate = certificate
    }
}

public struct LessonLocations: Sendable, Hashable {
    public var root: SourceLocation
    public var version: SourceLocation
    /// The `program` attribute.
    public var program: SourceLocation
    /// The `<grades>` element, if the lesson has its own.
    public var grades: SourceLocation?

    public init(root: SourceLocation, version: SourceLocation, program: SourceLocation, grades: SourceLocation?) {
        self.root = root
        self.version = version
        self.program = program
        self.grades = grades
    }
}

import Foundation

extension LessonPlanDocument {
    /// The form "same content" compares and the store keeps: JSON of the decoded value with
    /// sorted keys, so white space, comments, attribute order and encodings are not changes.
    public func canonicalContent() throws -> String {
        switch self {
        case .program(let program, _):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(program), as: UTF8.self)
        case .lesson(let lesson, _):
            return lesson.canonicalJSON()
        }
    }

    /// The document with a lesson's teaching content dropped: what the rules across files need
    /// (ids, program, grades, title, minutes), so thousands of lessons can be checked in little
    /// memory once their content is encoded.
    public var outline: LessonPlanDocument {
        switch self {
        case .program: return self
        case .lesson(var lesson, let at):
            lesson.objectives = []
            lesson.materials = []
            lesson.activities = []
            lesson.safetyNotes = []
            lesson.quiz = nil
            lesson.summary = nil
            return .lesson(lesson, at)
        }
    }
}
