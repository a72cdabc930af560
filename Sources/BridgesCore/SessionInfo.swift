/// A stored session with the names a person reads: what session listings and `session show` give,
/// as the store returns it.
public struct SessionInfo: Sendable, Hashable {
    public var id: Int64
    public var date: String
    public var programID: String
    public var lessonID: String
    public var lessonVersion: Int
    public var lessonTitle: String
    public var schoolID: String
    public var classID: String
    public var officerID: String
    public var officerName: String
    public var minutes: Int
    public var note: String?
    public var recordedAt: String
    public var recordedBy: String
    public var voidedAt: String?
    public var voidedBy: String?
    public var voidReason: String?
    public var counts: [AttendanceStatus: Int]

    public init(id: Int64, date: String, programID: String, lessonID: String, lessonVersion: Int, lessonTitle: String, schoolID: String, classID: String, officerID: String, officerName: String, minutes: Int, note: String?, recordedAt: String, recordedBy: String, voidedAt: String?, voidedBy: String?, voidReason: String?, counts: [AttendanceStatus: Int]) {
        self.id = id
        self.date = date
        self.programID = programID
        self.lessonID = lessonID
        self.lessonVersion = lessonVersion
        self.lessonTitle = lessonTitle
        self.schoolID = schoolID
        self.classID = classID
        self.officerID = officerID
        self.officerName = officerName
        self.minutes = minutes
        self.note = note
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.voidedAt = voidedAt
        self.voidedBy = voidedBy
        self.voidReason = voidReason
        self.counts = counts
    }
}
