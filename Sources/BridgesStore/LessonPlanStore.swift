import BridgesCore
import Foundation

/// A program or lesson ready to store, with where it came from.
package struct LessonPlanItem: Sendable {
    /// The document (a lesson may be only its outline; `content` holds all of it).
    package var document: LessonPlanDocument
    package var sourcePath: String
    /// The canonical content (`LessonPlanDocument.canonicalContent()`), what is stored and compared.
    package var content: String

    package init(document: LessonPlanDocument, sourcePath: String, content: String) {
        self.document = document
        self.sourcePath = sourcePath
        self.content = content
    }
}

/// What storing a set of lesson plans did.
package struct LessonPlanStoreOutcome: Sendable {
    package enum Change: Sendable, Equatable {
        /// A program or lesson id not stored before.
        case added
        /// A new version of a stored id.
        case newVersion(previousLatest: Int)
        /// The same id and version with the same content: nothing to do.
        case unchanged
        /// The same id and version with different content: refused. Carries the highest stored
        /// version, so the message can say which version to use instead.
        case conflict(latestStored: Int)
    }

    package var changes: [(item: LessonPlanItem, change: Change)]

    package init(changes: [(item: LessonPlanItem, change: Change)]) {
        self.changes = changes
    }
    package var hasConflicts: Bool {
        changes.contains { if case .conflict = $0.change { true } else { false } }
    }
}

/// The lesson plans already stored, as the cross-file rules ask about them.
package struct StoredCatalog: StoredLessonPlans, Sendable {
    package var lessonPrograms: [String: String]
    package var programs: [String: Program]

    package init(lessonPrograms: [String: String], programs: [String: Program]) {
        self.lessonPrograms = lessonPrograms
        self.programs = programs
    }

    package func programOfStoredLesson(_ lessonID: String) -> String? { lessonPrograms[lessonID] }
    package func latestStoredProgram(_ programID: String) -> Program? { programs[programID] }
}

/// A stored lesson row for listings.
package struct StoredLessonSummary: Sendable, Hashable {
    package var id: String
    package var programID: String
    package var latestVersion: Int
    package var title: String
    package var minutes: Int

    package init(id: String, programID: String, latestVersion: Int, title: String, minutes: Int) {
        self.id = id
        self.programID = programID
        self.latestVersion = latestVersion
        self.title = title
        self.minutes = minutes
    }
}

/// A stored version with who loaded it and when.
package struct StoredVersion<Value: Sendable>: Sendable {
    package var value: Value
    package var versions: [Int]
    package var loadedAt: String
    package var loadedBy: String
    package var sourcePath: String

    package init(value: Value, versions: [Int], loadedAt: String, loadedBy: String, sourcePath: String) {
        self.value = value
        self.versions = versions
        self.loadedAt = loadedAt
        self.loadedBy = loadedBy
        self.sourcePath = sourcePath
    }
}
