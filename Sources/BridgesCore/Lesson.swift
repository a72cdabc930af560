/// One lesson plan, as an officer teaches it: objectives, materials, timed activities, safety
/// notes and an optional quiz.
public struct Lesson: Sendable, Hashable, Codable {
    public var id: String
    public var programID: String
    public var version: Int
    public var title: String
    public var summary: String?
    /// Planned length in minutes (5–240).
    public var minutes: Int
    /// The lesson's own grades; `nil` means the program's.
    public var grades: GradeRange?
    public var objectives: [Objective]
    public var materials: [String]
    public var activities: [Activity]
    public var safetyNotes: [String]
    public var quiz: Quiz?

    public init(
        id: String, programID: String, version: Int, title: String, summary: String? = nil, minutes: Int,
        grades: GradeRange? = nil, objectives: [Objective], materials: [String] = [], activities: [Activity],
        safetyNotes: [String] = [], quiz: Quiz? = nil
    ) {
        self.id = id
        self.programID = programID
        self.version = version
        self.title = title
        self.summary = summary
        self.minutes = minutes
        self.grades = grades
        self.objectives = objectives
        self.materials = materials
        self.activities = activities
        self.safetyNotes = safetyNotes
        self.quiz = quiz
    }

    /// The minutes the activities plan for, which should fit in the lesson's own.
    public var plannedActivityMinutes: Int { activities.reduce(0) { $0 + $1.minutes } }
}

public struct Objective: Sendable, Hashable, Codable {
    public var id: String
    public var text: String

    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

public struct Activity: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case discussion, demonstration, practice
        case rolePlay = "role-play"
        case video, game, reflection, assessment
    }

    public var id: String
    public var kind: Kind
    public var minutes: Int
    public var title: String
    public var steps: [String]
    /// The ids of the lesson's objectives this activity teaches, as written (`objectives="…"`);
    /// empty when the file does not say.
    public var objectiveIDs: [String]

    public init(id: String, kind: Kind, minutes: Int, title: String, steps: [String], objectiveIDs: [String] = []) {
        self.id = id
        self.kind = kind
        self.minutes = minutes
        self.title = title
        self.steps = steps
        self.objectiveIDs = objectiveIDs
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, minutes, objectiveIDs, steps, title
    }

    /// Stored lessons written before activities named their objectives have no `objectiveIDs`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        kind = try container.decode(Kind.self, forKey: .kind)
        minutes = try container.decode(Int.self, forKey: .minutes)
        title = try container.decode(String.self, forKey: .title)
        steps = try container.decode([String].self, forKey: .steps)
        objectiveIDs = try container.decodeIfPresent([String].self, forKey: .objectiveIDs) ?? []
    }

    /// No objectives are left out entirely, so a lesson without them has the same canonical
    /// content (and needs no new version) as before the attribute existed.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(minutes, forKey: .minutes)
        if !objectiveIDs.isEmpty { try container.encode(objectiveIDs, forKey: .objectiveIDs) }
        try container.encode(steps, forKey: .steps)
        try container.encode(title, forKey: .title)
    }
}
