/// What the store already holds, as the rules across files need it.
public protocol StoredLessonPlans {
    /// The program a stored lesson belongs to, if any version of it is stored.
    func programOfStoredLesson(_ lessonID: String) -> String?
    /// The latest stored version of a program, if any.
    func latestStoredProgram(_ programID: String) -> Program?
}

/// Nothing stored: what `lesson validate` checks against when there is no database yet.
public struct NoStoredLessonPlans: StoredLessonPlans {
    public init() {}
    public func programOfStoredLesson(_ lessonID: String) -> String? { nil }
    public func latestStoredProgram(_ programID: String) -> Program? { nil }
}

/// The rules of lesson-plan-format.md that look across files: a lesson belongs to the program of
/// its folder, refs name lessons that exist, ids are not defined twice, grades nest.
///
/// Per-file rules (unique ids within a file, answer keys) are checked by the reader that knows the
/// file's structure; versions against stored content are checked by the loader.
public enum LessonPlanSetRules {
    /// Checks the documents read in one run. `folderProgram` gives the program of a lesson's
    /// folder when the folder has a readable program.xml. `unreadableFiles` maps a lesson id
    /// guessed from a file name to the file that could not be read, so a ref to it is not
    /// reported a second time.
    public static func check(
        documents: [LessonPlanDocument],
        folderProgram: (LessonPlanDocument) -> Program?,
        stored: any StoredLessonPlans,
        unreadableFiles: [String: String] = [:]
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []

        // The same id and version defined twice in one run: which would win is a guess, so refuse.
        var firstDefinition: [String: String] = [:]
        for document in documents {
            let key: String
            switch document {
            case .program(let p, _): key = "program \(p.id)"
            case .lesson(let l, _): key = "lesson \(l.id)"
            }
            if let first = firstDefinition[key] {
                let at: SourceLocation
                switch document {
                case .program(_, let locations): at = locations.root
                case .lesson(_, let locations): at = locations.root
                }
                diagnostics.append(at.error(code: "lesson-set.defined-twice", "\(key) is also defined in \(first); each id belongs in one file, so remove or rename one of them"))
            } else {
                firstDefinition[key] = document.file
            }
        }

        // Each program's refs as a set, so checking thousands of lessons stays linear.
        var listedByProgram: [String: Set<String>] = [:]
        func listed(_ program: Program) -> Set<String> {
            if let known = listedByProgram[program.id] { return known }
            let refs = Set(program.lessons.map(\.lessonID))
            listedByProgram[program.id] = refs
            return refs
        }
        var programsInRun: [String: Program] = [:]
        var lessonsInRun: [String: Lesson] = [:]
        for document in documents {
            switch document {
            case .program(let program, _): programsInRun[program.id] = programsInRun[program.id] ?? program
            case .lesson(let lesson, _): lessonsInRun[lesson.id] = lessonsInRun[lesson.id] ?? lesson
            }
        }

        for document in documents {
            switch document {
            case .program(let program, let at):
                for (index, reference) in program.lessons.enumerated() {
                    let location = index < at.lessonRefs.count ? at.lessonRefs[index] : at.root
                    if let lesson = lessonsInRun[reference.lessonID] {
                        if lesson.programID != program.id {
                            diagnostics.append(location.error(code: "lesson-set.lesson-of-another-program",
                                "lesson '\(reference.lessonID)' belongs to program '\(lesson.programID)', not '\(program.id)'; a lesson is part of one program"))
                        }
                    } else if let owner = stored.programOfStoredLesson(reference.lessonID) {
                        if owner != program.id {
                            diagnostics.append(location.error(code: "lesson-set.lesson-stored-in-another-program",
                                "lesson '\(reference.lessonID)' is stored as part of program '\(owner)', not '\(program.id)'; a lesson is part of one program"))
                        }
                    } else if unreadableFiles[reference.lessonID] == nil {
                        diagnostics.append(location.error(code: "lesson-set.missing-lesson",
                            "no lesson '\(reference.lessonID)' is being loaded or stored; add a file with <lesson id=\"\(reference.lessonID)\" program=\"\(program.id)\" …> to this folder, or fix the ref"))
                    }
                }
            case .lesson(let lesson, let at):
                let program: Program?
                if let folder = folderProgram(document) {
                    if folder.id != lesson.programID {
                        diagnostics.append(at.program.error(code: "lesson-set.folder-of-another-program",
                            "this lesson says program=\"\(lesson.programID)\" but its folder holds program '\(folder.id)'; write program=\"\(folder.id)\" or move the file to the folder of '\(lesson.programID)'"))
                        continue
                    }
                    program = folder
                } else if let inRun = programsInRun[lesson.programID] {
                    program = inRun
                } else if let storedProgram = stored.latestStoredProgram(lesson.programID) {
                    program = storedProgram
                } else {
                    diagnostics.append(at.program.error(code: "lesson-set.missing-program",
                        "no program '\(lesson.programID)' is being loaded or stored; put this file in the folder with that program's program.xml"))
                    continue
                }
                if let storedOwner = stored.programOfStoredLesson(lesson.id), storedOwner != lesson.programID {
                    diagnostics.append(at.program.error(code: "lesson-set.id-used-by-another-program",
                        "lesson '\(lesson.id)' is already stored as part of program '\(storedOwner)'; lesson ids are unique across programs, so give this lesson another id"))
                }
                if let program {
                    if let grades = lesson.grades, !program.grades.contains(grades) {
                        diagnostics.append((at.grades ?? at.root).warning(code: "lesson-set.grades-outside-program",
                            "this lesson is for \(grades) but its program '\(program.id)' is for \(program.grades); check the grades"))
                    }
                    if !listed(program).contains(lesson.id) {
                        diagnostics.append(at.root.warning(code: "lesson-set.lesson-not-listed",
                            "program '\(program.id)' does not list lesson '\(lesson.id)'; add <lesson ref=\"\(lesson.id)\"/> to its program.xml so that it is taught"))
                    }
                }
            }
        }
        return diagnostics
    }
}
