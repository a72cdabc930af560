import BridgesKit

/// `session show`: everything recorded about one session, for people, as lines (each shown on one
/// line by `Console.result(lines:)`).
enum SessionRendering {
    static func render(_ detail: SessionDetail) -> [String] {
        let s = detail.session
        var out: [String] = []
        out.append("Session \(s.id)\(s.voidedAt == nil ? "" : "  (VOIDED)")")
        out.append("  lesson:   \(s.lessonTitle) [\(s.lessonID) version \(s.lessonVersion), program \(s.programID)]")
        out.append("  class:    \(s.classID) (school \(s.schoolID))")
        out.append("  officer:  \(s.officerName) [\(s.officerID)]")
        out.append("  date:     \(s.date), \(s.minutes) minutes")
        if let note = s.note { out.append("  note:     \(note)") }
        out.append("  recorded: \(s.recordedAt) by \(s.recordedBy)")
        if let voided = s.voidedAt {
            out.append("  voided:   \(voided) by \(s.voidedBy ?? "?"): \(s.voidReason ?? "")")
        }
        let counts = AttendanceStatus.allCases.map { "\(s.counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        out += ["", "STUDENTS — \(counts)"]
        let rows = detail.students.map { st in
            [st.studentID, st.familyName, st.givenName, st.grade, st.status.rawValue,
             st.quizAttempts == 0 ? "" : "\(st.bestEarned ?? 0)/\(st.bestPossible ?? 0) \(st.bestPassed == true ? "passed" : "not passed") (\(st.quizAttempts) attempt\(st.quizAttempts == 1 ? "" : "s"))"]
        }
        out += TextTable.render(header: ["STUDENT", "FAMILY NAME", "GIVEN NAME", "GRADE", "STATUS", "QUIZ (BEST)"], rows: rows)
            .split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        let attempted = detail.students.filter { !$0.attempts.isEmpty }
        if !attempted.isEmpty {
            out += ["", "QUIZ ATTEMPTS"]
            var attemptRows: [[String]] = []
            for st in attempted {
                for a in st.attempts {
                    attemptRows.append([st.studentID, String(a.number), "\(a.earned)/\(a.possible)", a.passed ? "passed" : "not passed",
                                        "\(a.recordedAt) by \(a.recordedBy)",
                                        a.voidedAt.map { "VOIDED \($0) by \(a.voidedBy ?? "?"): \(a.voidReason ?? "")" } ?? ""])
                }
            }
            out += TextTable.render(header: ["STUDENT", "ATTEMPT", "POINTS", "RESULT", "RECORDED", ""], rows: attemptRows)
                .split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        }
        out += ["", "RECORD AND CORRECTIONS"]
        for entry in detail.trail {
            var line = "  \(entry.at)  \(entry.actor)  \(entry.action)"
            if let field = entry.field { line += ": \(field) \(entry.oldValue ?? "") → \(entry.newValue ?? "")" }
            if let reason = entry.reason { line += " — reason: \(reason)" }
            if let detail = entry.detail { line += " (\(detail))" }
            out.append(line)
        }
        return out
    }
}
