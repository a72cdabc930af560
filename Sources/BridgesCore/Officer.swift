/// A police or safety officer who teaches the lessons; every session names one.
///
/// The id is the agency's or the program's own (a badge number, `ofc-0042`), kept exactly as
/// written apart from white space at either end, like roster ids.
public struct Officer: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// The department or organisation the officer comes from, when known.
    public var agency: String?
    /// The last day the officer's teaching certification is valid, `YYYY-MM-DD` (see
    /// `SchoolDate`); nil when it is not recorded.
    public var certifiedUntil: String?

    public init(id: String, name: String, agency: String? = nil, certifiedUntil: String? = nil) {
        self.id = id
        self.name = name
        self.agency = agency
        self.certifiedUntil = certifiedUntil
    }

    /// Whether the certification had run out by `date`: its last valid day is before `date`.
    /// An officer without a recorded date has not lapsed.
    public func isLapsed(on date: SchoolDate) -> Bool {
        guard let certifiedUntil, let until = SchoolDate(certifiedUntil) else { return false }
        return until < date
    }
}
