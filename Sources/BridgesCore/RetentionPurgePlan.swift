/// What a retention purge takes (or, in a dry run, would take).
public struct RetentionPurgePlan: Sendable, Hashable {
    /// A session dated before the cut-off, and what of its students' records goes.
    public struct Session: Sendable, Hashable {
        public var id: Int64
        public var date: String
        public var classID: String
        public var lessonID: String
        public var marks: Int
        public var quizAttempts: Int

        public init(id: Int64, date: String, classID: String, lessonID: String, marks: Int, quizAttempts: Int) {
            self.id = id
            self.date = date
            self.classID = classID
            self.lessonID = lessonID
            self.marks = marks
            self.quizAttempts = quizAttempts
        }
    }

    /// A certificate whose validity (or revocation) ended before the cut-off. One exported as an
    /// Open Badge (it has a `statusIndex`) is never purged: the published revocation list reads
    /// its bit from the row, and a removed row would clear a revocation or free its index.
    public struct Certificate: Sendable, Hashable {
        public var code: String
        public var programID: String
        public var ended: String

        public init(code: String, programID: String, ended: String) {
            self.code = code
            self.programID = programID
            self.ended = ended
        }
    }

    public var before: String
    public var sessions: [Session] = []
    public var certificates: [Certificate] = []
    /// Students under a legal hold whose records past the cut-off were kept.
    public var heldStudents: [String] = []

    public init(before: String, sessions: [Session] = [], certificates: [Certificate] = [], heldStudents: [String] = []) {
        self.before = before
        self.sessions = sessions
        self.certificates = certificates
        self.heldStudents = heldStudents
    }

    public var marks: Int { sessions.reduce(0) { $0 + $1.marks } }
    public var quizAttempts: Int { sessions.reduce(0) { $0 + $1.quizAttempts } }
}
