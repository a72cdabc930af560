import BridgesCore
import BridgesSystem
import Foundation

/// What `bridges demo` built, for the person who asked.
public struct DemoReport: Sendable {
    /// The database, as people name it.
    public var databaseName: String
    public var programs: Int
    public var lessons: Int
    public var schools: Int
    public var classes: Int
    public var students: Int
    public var officers: Int
    public var sessions: Int
    public var makeUpSessions: Int
    public var marks: Int
    public var quizAttempts: Int
    public var retakes: Int
    public var amendments: Int
    public var voided: Int
    public var certificates: Int
    public var termStart: SchoolDate
    public var termEnd: SchoolDate
    /// The report files written, in order, and how many rows each has.
    public var reports: [String]
    public var reportRows: [Int]
    /// The accounts to try `bridges serve` with, each with the password generated for it (shown
    /// once, by the command that ran the demo).
    public var accounts: [(name: String, role: Role, password: String)] = []
}

/// Builds a demonstration database through the same operations people use: lesson plans from
/// `Curricula/`, a generated roster imported as a CSV, officers, a term of sessions with absences,
/// late arrivals and make-ups, quizzes failed and retaken, a correction and a voided session,
/// certificates, and every report.
///
/// Everything is generated from a fixed seed, so two runs on the same day tell the same story.
public struct Demo {
    public var curricula: String
    public var location: DatabaseLocation
    /// Where the reports go, from the root, and how people are shown it (the command line's
    /// `--exports`, as typed).
    public var exportsFolder: ReportFolder
    /// Where the generated roster is written (in a private folder made there) and read back.
    public var temporaryFolder: String
    public var actor: String
    /// The day the demo's term ends before: today on the location's clock.
    public let today: SchoolDate
    /// How many threads read the lesson plans (the command line gives the processor count).
    public var processors: Int

    public init(curricula: String, location: DatabaseLocation, exportsFolder: ReportFolder, temporaryFolder: String, actor: String, processors: Int) {
        self.curricula = curricula
        self.processors = processors
        self.location = location
        self.exportsFolder = exportsFolder
        self.temporaryFolder = temporaryFolder
        self.actor = actor
        today = location.clock.today
    }

    /// The audit action that marks a database as the demo's, recorded first; and the one recorded
    /// last, when the demo has built all of it. A rerun replaces a database only when the last
    /// event of its trail is that second one: a roster imported or an officer added since (even
    /// by the same person) is a record the demo did not write, and the database is left alone.
    static let marker = "demo"
    static let completeMarker = "demo complete"

    public func run(progress: ProgressHandler? = nil) async throws(BridgesError) -> DemoReport {
        try ReportFolder.checkFromRoot(exportsFolder.path)
        try await prepareDatabaseFile()
        var generator = SplitMix64(seed: 20_261_122)
        let records = try await Registrar(location)
        try await records.markAsDemo(actor: actor)

        // Lesson plans, as a coordinator loads them.
        progress?(WorkProgress(phase: "Loading lesson plans", done: 0, total: 1))
        let load = try await records.loadLessonPlans(paths: [curricula], caller: .local(actor), processors: processors)
        let programs = try await records.programs()
        guard let personalSafety = programs.first(where: { $0.id == "personal-safety" }),
              let conflict = programs.first(where: { $0.id == "conflict-resolution" }),
              let firstAid = programs.first(where: { $0.id == "first-aid" }) else {
            throw .notFound(.file(curricula), "the demo needs the shipped programs personal-safety, conflict-resolution and first-aid in \(curricula)")
        }

        // A roster of three schools, written as a district would export it, then imported.
        let roster = DemoRoster.generate(using: &generator)
        let rosterFolder: String
        do {
            rosterFolder = try PrivateFile.makePrivateFolder(in: temporaryFolder, tag: "demo")
        } catch {
            throw .io("cannot make a private folder in \(temporaryFolder) for the demo roster: \(error.reason)")
        }
        defer { try? FileManager.default.removeItem(atPath: rosterFolder) }
        let rosterFile = rosterFolder + "/demo-roster.csv"
        do {
            try DemoRoster.write(roster, to: rosterFile)
        } catch {
            throw .io("cannot write the demo roster to \(rosterFile): \(error.description)")
        }
        _ = try await records.importRoster(path: rosterFile, caller: .local(actor))

        // Officers: school resource officers from two agencies.
        let officers = [
            ("ofc-101", "Dana Reyes", "Riverside Police Department"),
            ("ofc-102", "Marcus Johnson", "Riverside Police Department"),
            ("ofc-201", "Priya Natarajan", "County Sheriff's Office"),
        ]
        for (id, name, agency) in officers {
            _ = try await records.saveOfficer(id: id, name: name, agency: agency, certifiedUntil: today.adding(months: 18)?.description, caller: .local(actor))
        }

        // Accounts to try the server with: the first officer, over every school the demo's
        // classes are in, and a district administrator; each gets a password generated here.
        var accounts: [(name: String, role: Role, password: String)] = []
        for (name, role, officerID) in [("dana", Role.officer, Optional("ofc-101")), ("admin", .districtAdmin, nil)] {
            let added = try await records.addAccount(
                name: name, role: role, schools: role == .officer ? roster.schools.map(\.id) : [], officerID: officerID,
                password: nil, caller: .local(actor))
            guard let password = added.generatedPassword else { throw .internalError("the demo's account \(name) was given no password") }
            accounts.append((name, role, password))
        }

        // A term of ten school weeks ending with the last Friday before today: one lesson a week
        // per class, on the class's weekday.
        let monday = today.adding(days: -Self.weekdayIndex(today)) ?? today   // this week's Monday
        let termEnd = monday.adding(days: today == monday ? -3 : (Self.weekdayIndex(today) > 4 ? 4 : -3)) ?? today
        let termStart = (termEnd.adding(days: -4) ?? termEnd).adding(days: -7 * 9) ?? termEnd
        var report = DemoReport(
            databaseName: location.name, programs: programs.count, lessons: load.added - programs.count, schools: roster.schools.count,
            classes: roster.classes.count, students: roster.students.count, officers: officers.count, sessions: 0, makeUpSessions: 0,
            marks: 0, quizAttempts: 0, retakes: 0, amendments: 0, voided: 0, certificates: 0,
            termStart: termStart, termEnd: termEnd, reports: [], reportRows: [])
        report.accounts = accounts

        let plan: [(DemoRoster.ClassPlan, Program)] = roster.classes.map { plan in
            switch plan.program {
            case "personal-safety": (plan, personalSafety)
            case "conflict-resolution": (plan, conflict)
            default: (plan, firstAid)
            }
        }
        var lessonCache: [String: Lesson] = [:]
        for (index, (classPlan, program)) in plan.enumerated() {
            progress?(WorkProgress(phase: "Logging the term", done: index, total: plan.count))
            let officer = officers[index % officers.count].0
            let students = roster.enrolments[classPlan.id] ?? []
            var missed: [String: [String]] = [:]  // lesson → students absent
            var day = termStart.adding(days: classPlan.weekday) ?? termStart
            for reference in program.lessons {
                guard day <= termEnd else { break }
                let lessonID = reference.lessonID
                // Absences, late arrivals and the odd excused absence, from the seed.
                var absent: [String] = [], late: [String] = [], excused: [String] = []
                for student in students {
                    let roll = generator.nextUnit()
                    if roll < 0.07 { absent.append(student) } else if roll < 0.10 { excused.append(student) } else if roll < 0.15 { late.append(student) }
                }
                let logged = try await records.logSession(
                    lessonID: lessonID, classID: classPlan.id, officerID: officer, date: day.description, minutes: nil,
                    present: [], late: late, absent: absent, excused: excused, others: .present, sheet: nil, note: nil,
                    caller: .local(officers[index % officers.count].1))
                report.sessions += 1
                report.marks += students.count
                missed[lessonID] = absent + excused
                let lesson = try await cachedLesson(lessonID, records: records, cache: &lessonCache)
                let attendees = students.filter { !absent.contains($0) && !excused.contains($0) }
                let (attempts, retakes) = try await takeQuiz(lesson, session: logged.id, students: attendees, records: records, generator: &generator)
                report.quizAttempts += attempts
                report.retakes += retakes
                day = day.adding(days: 7) ?? day
            }
            // Make-up sessions two days after the last lesson, for most who missed a lesson;
            // a few never make theirs up and will not be certified.
            var makeUpDay = day.adding(days: -5) ?? day
            for reference in program.lessons where reference.required {
                let lessonID = reference.lessonID
                let absentees = (missed[lessonID] ?? []).filter { _ in generator.nextUnit() < 0.75 }
                guard !absentees.isEmpty, makeUpDay <= termEnd else { continue }
                let logged = try await records.logSession(
                    lessonID: lessonID, classID: classPlan.id, officerID: officer, date: makeUpDay.description, minutes: 30,
                    present: absentees, late: [], absent: [], excused: [], others: .excused, sheet: nil,
                    note: "make-up session for students who missed the lesson", caller: .local(officers[index % officers.count].1))
                report.makeUpSessions += 1
                report.sessions += 1
                report.marks += students.count
                let lesson = try await cachedLesson(lessonID, records: records, cache: &lessonCache)
                let (attempts, retakes) = try await takeQuiz(lesson, session: logged.id, students: absentees, records: records, generator: &generator)
                report.quizAttempts += attempts
                report.retakes += retakes
                makeUpDay = makeUpDay.adding(days: 1) ?? makeUpDay
            }
        }

        // Corrections leave a trail: a late arrival first marked absent, and a session logged
        // for the wrong class, voided.
        if let first = try await records.sessions(classID: plan.first?.0.id, programID: nil, from: nil, to: nil).first,
           let student = roster.enrolments[first.classID]?.first {
            let detail = try await records.session(id: first.id)
            if let mark = detail.students.first(where: { $0.studentID == student }), mark.status != .late, mark.quizAttempts == 0 || mark.status.attended {
                _ = try await records.amendSession(id: first.id, student: student, status: .late, reason: "arrived after the register was taken; teacher confirmed", caller: .local(actor))
                report.amendments += 1
            }
        }
        if let (classPlan, program) = plan.last, let lessonID = program.lessons.last?.lessonID {
            let logged = try await records.logSession(
                lessonID: lessonID, classID: classPlan.id, officerID: officers[0].0, date: termStart.description, minutes: nil,
                present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local(officers[0].1))
            try await records.voidSession(id: logged.id, reason: "logged for the wrong class by mistake", caller: .local(actor))
            report.voided += 1
        }

        // Certificates as of the last day of term.
        progress?(WorkProgress(phase: "Issuing certificates", done: 0, total: 1))
        let issued = try await records.issueCertificates(programID: nil, asOf: termEnd.description, caller: .local(actor))
        report.certificates = issued.reduce(0) { $0 + $1.issuedCount }

        // Every report, as a school or district would take them away.
        // Reports hold students' records: the folder is the owner's alone from the start, like
        // the files (mkdir 0700, not a chmod after).
        let parent = PrivateFile.folder(of: exportsFolder.path)
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create the folder \(PrivateFile.folder(of: exportsFolder.shownAs)) for the reports: \(error.localizedDescription)")
        }
        do {
            try PrivateFile.makeOwnFolder(exportsFolder.path)
        } catch {
            throw .io("cannot create the folder \(exportsFolder.shownAs) for the reports: \(error.message)")
        }
        for (index, kind) in Report.allCases.enumerated() {
            progress?(WorkProgress(phase: "Writing reports", done: index, total: Report.allCases.count))
            // Never over a file already there (a person's own report of the day may have the
            // name): a taken name gets -2, -3 …, and the demo lists where each report went, as
            // the folder was named.
            let export = try await records.exportReport(
                kind, destination: .path(exportsFolder.path, shownIn: exportsFolder), replacing: false, caller: .local(actor),
                purpose: "the demonstration database's own reports")
            report.reports.append(export.path ?? kind.rawValue)
            report.reportRows.append(export.rows)
        }
        // Last of all: the demo finished here, and anything recorded after this mark is someone
        // else's, which a rerun must never remove.
        try await records.markAsDemo(actor: actor, complete: true)
        return report
    }

    /// Monday 0 … Sunday 6 (1970-01-01 was a Thursday).
    static func weekdayIndex(_ day: SchoolDate) -> Int {
        ((day.daysSinceEpoch % 7) + 7 + 3) % 7
    }

    private func cachedLesson(_ id: String, records: Registrar, cache: inout [String: Lesson]) async throws(BridgesError) -> Lesson {
        if let lesson = cache[id] { return lesson }
        guard let stored = try await records.lesson(id: id, version: nil) else { throw .notFound(.lesson(id), "lesson \(id) is not stored") }
        cache[id] = stored.lesson
        return stored.lesson
    }

    /// Each student answers the quiz; most know most answers. Those who fail retake it once.
    private func takeQuiz(_ lesson: Lesson, session: Int64, students: [String], records: Registrar, generator: inout SplitMix64) async throws(BridgesError) -> (attempts: Int, retakes: Int) {
        guard let quiz = lesson.quiz, !students.isEmpty else { return (0, 0) }
        var attempts = 0, retakes = 0
        for student in students {
            let ability = 0.55 + 0.45 * generator.nextUnit()
            let first = try await records.recordQuiz(session: session, student: student, answers: answers(quiz, ability: ability, generator: &generator), caller: .local(actor))
            attempts += 1
            if let result = first.first, !result.passed {
                _ = try await records.recordQuiz(session: session, student: student, answers: answers(quiz, ability: min(1, ability + 0.35), generator: &generator), caller: .local(actor))
                attempts += 1
                retakes += 1
            }
        }
        return (attempts, retakes)
    }

    /// Answers in the `--answers` form: right with probability `ability`, else a wrong one.
    private func answers(_ quiz: Quiz, ability: Double, generator: inout SplitMix64) -> String {
        quiz.questions.map { question in
            let right = generator.nextUnit() < ability
            let answer: String
            switch question.kind {
            case .single, .multiple:
                let correct = question.choices.filter(\.correct).map(\.id)
                let wrong = question.choices.filter { !$0.correct }.map(\.id)
                answer = right || wrong.isEmpty ? correct.joined(separator: "+") : wrong[Int(generator.next() % UInt64(wrong.count))]
            case .trueFalse:
                let key = question.answers.first?.lowercased() ?? "true"
                answer = right ? key : (key == "true" ? "false" : "true")
            case .short:
                answer = right ? (question.answers.first ?? "") : "not sure"
            }
            return "\(question.id)=\(answer.replacingOccurrences(of: ",", with: " "))"
        }.joined(separator: ",")
    }

    /// Refuses to touch a database that is not a demo's; removes an earlier demo database that
    /// holds nothing but what the demo wrote.
    private func prepareDatabaseFile() async throws(BridgesError) {
        // A database that holds no records at all (an empty file) may be filled.
        guard let existing = try await Registrar.openIfPresent(location) else { return }
        var replaceable = try await existing.isUntouchedDemo()
        if !replaceable { replaceable = try await !existing.holdsRecords() }
        // Closed before it goes, so that the store does not checkpoint into (or remove the WAL of) a
        // file that is being replaced.
        try await existing.close()
        guard replaceable else {
            throw .rejected("\(location.name) holds records the demo did not write (or a demo that did not finish), and the demo never removes what it did not create; run it on a new file with `\(.demo) \(field: .database) demo.sqlite`, or remove \(location.name) yourself if you are sure it holds nothing you need")
        }
        do {
            try await location.store.discard()
        } catch {
            throw BridgesError(error)
        }
    }
}

/// A small deterministic generator (SplitMix64): the demo must tell the same story every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<1.
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
