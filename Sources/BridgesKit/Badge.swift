import BridgesCore
import BridgesSigning
import BridgesStore
import BridgesSystem
import Foundation

/// A certificate as an Open Badges 3.0 OpenBadgeCredential, signed as a VC-JWT with ES256
/// (issue 14, item 2): anyone with the issuer's public key checks it offline, years later.
public struct Badge: Sendable {
    public var certificate: CertificateCode
    /// The compact JWS: header.payload.signature.
    public var token: String
    /// The credential (the JWT payload) as JSON.
    public var payload: String
    public var status: CertificateInfo.Status
}

extension Registrar {
    /// The certificate's Open Badge. The recipient is a salted SHA-256 hash of an identifier the
    /// family knows: the district's student number (OneRoster `identifier`) when the roster gave
    /// one, else the student id (the salt is stored with the certificate and given in the
    /// credential so that whoever knows the number can check it), never the name unless `withName`.
    /// A revoked certificate gets no badge.
    public func badge(_ text: String, withName: Bool = false, keyPath: String? = nil) async throws(BridgesError) -> Badge {
        let now = clock.now
        let today = clock.date(at: now)
        guard let code = CertificateCode(text) else {
            throw .usage("'\(text)' is not a certificate code: a code is 16 letters and digits, like 7K3Q-M9XD-2HFA-8PQR")
        }
        guard let stored = try await store({ () async throws(StoreError) in try await database.certificate(code: code.normalized) }) else {
            throw .notFound(.certificate(code: "\(code)"), "no certificate has the code \(code)")
        }
        let info = CertificateInfo(stored, on: today)
        if info.status == .revoked {
            throw .rejected("\(code) is revoked; a revoked certificate gets no badge (reinstate it first if it was revoked by mistake)")
        }
        let (issuer, key) = try await issuerKey(at: keyPath)
        let program = try await self.program(id: stored.programID, version: stored.programVersion)
        guard let (salt, statusIndex) = try await store({ () async throws(StoreError) in
            try await database.badgeEntry(code: code.normalized, fresh: Self.randomSalt())
        }) else { throw .notFound(.certificate(code: "\(code)"), "no certificate has the code \(code)") }
        let identifier = try await store { () async throws(StoreError) in try await database.studentIdentifier(studentID: stored.studentID) }
        return try Self.makeBadge(stored, code: code, status: info.status, issuer: issuer, key: key, program: program,
                                  salt: salt, statusIndex: statusIndex, identifier: identifier, withName: withName, now: now)
    }

    /// Badges of many certificates (a program's, a school's, or both) into `folder`, one
    /// `badge-CODE.jwt` each; revoked ones are skipped. The folder is given from the root
    /// (a relative one is refused) and named in messages and the disclosure log as it is shown. Salts and status indexes are given to all
    /// of them in one transaction. Recorded as one disclosure naming every holder; if that
    /// cannot be recorded (or a badge cannot be written), the badges written are removed again.
    public func badges(programID: String?, schoolID: String?, withName: Bool = false, keyPath: String? = nil, into folder: ReportFolder, caller: Caller, purpose: String? = nil
    ) async throws(BridgesError) -> (written: Int, revokedSkipped: Int) {
        let now = clock.now
        let today = clock.date(at: now)
        try caller.require(.readCertificates)
        let actor = caller.name
        guard programID != nil || schoolID != nil else { throw .usage("give a certificate code, or \(field: .program) and/or \(field: .school)") }
        try ReportFolder.checkFromRoot(folder.path)
        let purpose = try Self.checkedPurpose(purpose)
        let (issuer, key) = try await issuerKey(at: keyPath)
        let entries = try await store { () async throws(StoreError) in
            try await database.assignBadgeEntries(programID: programID, schoolID: schoolID, fresh: Self.randomSalt)
        }
        let chosen = try await certificates(programID: programID, on: today).filter { schoolID == nil || $0.schoolID == schoolID }
        if chosen.isEmpty {
            throw .notFound(.certificates, "no certificates\(programID.map { " of program '\($0)'" } ?? "")\(schoolID.map { " at school '\($0)'" } ?? "")")
        }
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            do {
                try SystemCall.makeFolder(folder.path, permissions: 0o700)
            } catch {
                throw .io("cannot create the folder \(folder.shownAs): \(error.message)")
            }
        } else if !isDirectory.boolValue {
            throw .usage("\(folder.shownAs) is a file, not a folder")
        }
        var programs: [String: StoredProgram?] = [:]
        var written = 0, skipped = 0
        var paths: [String] = []
        var holders: [String] = []
        do throws(BridgesError) {
            for info in chosen {
                if info.status == .revoked {
                    skipped += 1
                    continue
                }
                guard let stored = try await store({ () async throws(StoreError) in try await database.certificate(code: info.code.normalized) }),
                      let entry = entries[info.code.normalized] else { continue }
                let programKey = "\(stored.programID)\u{1F}\(stored.programVersion)"
                if programs[programKey] == nil { programs[programKey] = try await program(id: stored.programID, version: stored.programVersion) }
                let identifier = try await store { () async throws(StoreError) in try await database.studentIdentifier(studentID: stored.studentID) }
                let badge = try Self.makeBadge(stored, code: info.code, status: info.status, issuer: issuer, key: key, program: programs[programKey] ?? nil,
                                               salt: entry.salt, statusIndex: entry.statusIndex, identifier: identifier, withName: withName, now: now)
                let path = folder.file("badge-\(info.code).jwt")
                do throws(PrivateFileError) {
                    try PrivateFile.write(badge.token + "\n", to: path, replacing: true)
                } catch {
                    throw BridgesError(folder.shown(error))
                }
                paths.append(path)
                holders.append(info.studentID)
                written += 1
            }
            try await recordDisclosure(
                kind: "certificate badges", filters: [("program", programID), ("school", schoolID), ("with-name", withName ? "yes" : nil)],
                rows: written, purpose: purpose, actor: actor, namesStudents: !holders.isEmpty, students: Array(Set(holders)).sorted()
            ) { () throws(BridgesError) -> String in folder.shownAs }
        } catch {
            for path in paths { try? SystemCall.unlink(path) }
            throw error
        }
        return (written, skipped)
    }

    /// The signed credential of one certificate. `identifier` is the district's student number
    /// when the roster gave one: the recipient is hashed from it (`identityType` "identifier"),
    /// else from the student id (`sisSourcedId`).
    static func makeBadge(_ stored: StoredCertificate, code: CertificateCode, status: CertificateInfo.Status, issuer: IssuerIdentity, key: IssuerKey,
                          program: StoredProgram?, salt: String, statusIndex: Int, identifier: String? = nil, withName: Bool, now: Date) throws(BridgesError) -> Badge {
        let statusList = Self.statusListURL(issuer)

        let issuerID = issuer.url
        let credentialID = "urn:bridges:certificate:\(code)"
        let recipientHash = openBadgesHash((identifier ?? stored.studentID) + salt)
        let subjectID = "urn:bridges:recipient:" + recipientHash.dropFirst("sha256$".count)
        var identifiers: [[String: Any]] = [[
            "type": "IdentityObject", "identityType": identifier == nil ? "sisSourcedId" : "identifier", "hashed": true,
            "identityHash": recipientHash, "salt": salt,
        ]]
        if withName {
            identifiers.append(["type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": "\(stored.givenName) \(stored.familyName)"])
        }
        var achievement: [String: Any] = [
            "id": "urn:bridges:program:\(stored.programID):v\(stored.programVersion)",
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": stored.title,
            // Not the program's summary: that is written for teachers (safeguarding notes included).
            "description": "\(program?.program.title ?? stored.title): awarded by \(issuer.name) to a student who met the program's certificate rule.",
            "criteria": ["narrative": Self.criteria(program, title: stored.title)],
        ]
        if let program { achievement["humanCode"] = program.program.id }
        var credential: [String: Any] = [
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": credentialID,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": stored.title,
            "issuer": ["id": issuerID, "type": ["Profile"], "name": issuer.name, "url": issuer.url],
            "validFrom": "\(stored.issuedOn)T00:00:00Z",
            "credentialStatus": [
                "id": "\(statusList)#\(statusIndex)",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": String(statusIndex),
                "statusListCredential": statusList,
            ],
            "credentialSubject": [
                "id": subjectID,
                "type": ["AchievementSubject"],
                "identifier": identifiers,
                "achievement": achievement,
            ] as [String: Any],
        ]
        let validFrom = Self.epoch(stored.issuedOn, endOfDay: false)
        var claims: [String: Any] = ["iss": issuerID, "jti": credentialID, "sub": subjectID, "iat": Int(now.timeIntervalSince1970)]
        if let validFrom { claims["nbf"] = validFrom }
        if let until = stored.validUntil {
            credential["validUntil"] = "\(until)T23:59:59Z"
            if let exp = Self.epoch(until, endOfDay: true) { claims["exp"] = exp }
        }
        let payloadObject = credential.merging(claims) { current, _ in current }
        let header: [String: Any] = ["alg": "ES256", "typ": "JWT", "kid": issuer.keyID]
        do {
            let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
            let headerData = try JSONSerialization.data(withJSONObject: header, options: options)
            let payloadData = try JSONSerialization.data(withJSONObject: payloadObject, options: options)
            let token = try key.signJWS(header: headerData, payload: payloadData)
            return Badge(certificate: code, token: token, payload: String(decoding: payloadData, as: UTF8.self), status: status)
        } catch let error as SigningError {
            throw .internalError(Message(error.description))
        } catch {
            throw .internalError("could not encode the credential: \(error)")
        }
    }

    /// What earning the certificate took, in words, from the program's certificate rule.
    static func criteria(_ stored: StoredProgram?, title: String) -> String {
        guard let stored else { return "Completed the program \(title)." }
        let rule = stored.program.certificate
        let required = stored.program.requiredLessonIDs
        let titles = required.map { id in stored.lessons.first { $0.lessonID == id }?.title ?? id }
        var text: String
        switch rule.attendance {
        case .all: text = "Attended all \(required.count) required lessons of \(stored.program.title)"
        case .count(let n): text = "Attended at least \(n) of the \(required.count) required lessons of \(stored.program.title)"
        }
        if !titles.isEmpty { text += " (\(titles.joined(separator: "; ")))" }
        if rule.quizzes == .passAll { text += ", and passed the quiz of every required lesson attended" }
        text += ", taught in school by a certified officer."
        if let months = rule.validMonths { text += " Valid for \(months) months from the date of issue." }
        return text
    }

    static func randomSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Seconds since 1970 at the start (or end) of a UTC day.
    static func epoch(_ day: String, endOfDay: Bool) -> Int? {
        guard let date = SchoolDate(day) else { return nil }
        return date.daysSinceEpoch * 86_400 + (endOfDay ? 86_399 : 0)
    }
}
