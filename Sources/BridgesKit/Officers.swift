import BridgesCore
import BridgesStore
import Foundation

extension Registrar {
    /// Adds an officer, or updates a stored one's details.
    ///
    /// `agency` and `certifiedUntil` left nil keep what is stored (nothing, for a new officer);
    /// an empty string clears them. The id and name are trimmed and must not be empty; the date
    /// must be a real `YYYY-MM-DD` date. A bad value is `.usage` (exit 64), as a malformed flag
    /// is.
    public func saveOfficer(
        id: String, name: String, agency: String? = nil, certifiedUntil: String? = nil, caller: Caller
    ) async throws(BridgesError) -> OfficerSave {
        try caller.require(.manageOfficers)
        let actor = caller.name
        let id = id.trimmingWhitespace()
        let name = name.trimmingWhitespace()
        guard !id.isEmpty else { throw .usage("the officer id is empty; give the id the officer is known by, e.g. ofc-0042") }
        // The rule roster files meet too: no control characters, a length limit.
        if let problem = RecordText.problem(id, as: .id) { throw .usage("the officer id \(problem)") }
        guard !name.isEmpty else { throw .usage("\(field: .name) is empty; give the officer's name as it should appear in reports") }
        if let problem = RecordText.problem(name, as: .name) { throw .usage("\(field: .name) \(problem)") }
        if let agency, let problem = RecordText.problem(agency.trimmingWhitespace(), as: .name) {
            throw .usage("\(field: .agency) \(problem)")
        }
        var until: String??
        if let certifiedUntil {
            let text = certifiedUntil.trimmingWhitespace()
            if text.isEmpty {
                until = .some(nil)
            } else if let date = SchoolDate(text) {
                until = .some(date.description)
            } else {
                throw .usage("\(field: .certifiedUntil) '\(certifiedUntil)' is not a date: \(SchoolDate.formatHelp) (a real calendar date)")
            }
        }
        var agencyValue: String??
        if let agency {
            let text = agency.trimmingWhitespace()
            agencyValue = .some(text.isEmpty ? nil : text)
        }
        let context = WriteContext(actor: actor, at: clock.now)
        return try await store { () async throws(StoreError) in
            // Unset details keep the stored ones; read and write in one transaction.
            try await database.saveOfficer(id: id, name: name, agency: agencyValue, certifiedUntil: until, context: context)
        }
    }

    /// The stored officer with this id, if any: for logging a session, which must name one.
    public func officer(id: String, caller: Caller) async throws(BridgesError) -> Officer? {
        try caller.require(.readRosters)
        return try await officer(id: id)
    }

    func officer(id: String) async throws(BridgesError) -> Officer? {
        try await store { () async throws(StoreError) in try await database.officer(id: id) }
    }

    /// Every stored officer, by id.
    public func officers(caller: Caller) async throws(BridgesError) -> [Officer] {
        try caller.require(.readRosters)
        return try await officers()
    }

    func officers() async throws(BridgesError) -> [Officer] {
        try await store { () async throws(StoreError) in try await database.officers() }
    }
}
