import BridgesCore
import BridgesStore
import BridgesSystem
import Foundation

/// What `certificate print --program --class` (or `--school`) wrote: one printable file of a
/// class's (or a school's) current certificates, one per sheet.
public struct CertificatePages: Sendable, Hashable {
    /// The file written; nil for a sink.
    public var path: String?
    /// How many certificates (sheets) it holds.
    public var pages: Int
    /// The base of the verification addresses drawn as QR codes; nil when the pages have none.
    public var verifyBase: String?
}

extension Registrar {
    /// `certificates-program-P-class-C-YYYY-MM-DD.html` (`-school-S-` for a school): the filters
    /// in the name, as reports have them, so two classes' files of a day have two names.
    public static func certificatePagesFileName(programID: String, classID: String?, schoolID: String?, on day: SchoolDate) -> String {
        var name = "certificates"
        for (label, value) in [("program", Optional(programID)), ("class", classID), ("school", schoolID)] {
            guard let value else { continue }
            name += "-\(label)-\(fileNamePart(value))"
        }
        return "\(name)-\(day).html"
    }

    /// Writes every current certificate (issued by `today`, not revoked, not expired) of a
    /// program for the students enrolled in a class, or issued for a school, into ONE
    /// self-contained printable HTML file: the page of `certificate print CODE`, one certificate
    /// per printed sheet. Streamed: each page is made and written as its row is read, so a large
    /// school's file never sits in memory.
    ///
    /// `destination` as reports take it (the command line's default folder here is its working
    /// folder, where `certificate print CODE` writes), under `certificatePagesFileName`; a taken name gets `-2`, `-3` …; a file named with `--out` that
    /// exists is refused (`.usage`) unless `replacing`. The file is private from its first byte
    /// (`PrivateFile`) and published only once complete; with no current certificate nothing is
    /// written (`.notFound`).
    public func printCertificates(programID: String, classID: String?, schoolID: String?, to destination: ReportDestination,
                                  replacing: Bool = false, verifyBase: String? = nil,
                                  caller: Caller, purpose: String? = nil) async throws(BridgesError) -> CertificatePages {
        let today = clock.today
        try caller.require(.readCertificates)
        let actor = caller.name
        let purpose = try Self.checkedPurpose(purpose)
        guard (classID == nil) != (schoolID == nil) else {
            throw .usage("give \(field: .class) or \(field: .school) with \(field: .program): the certificates of one class, or of one school")
        }
        guard let program = try await programs().first(where: { $0.id == programID }) else {
            throw .notFound(.program(programID), "no program \'\(programID)\' is loaded; `\(.lessonList)` shows the programs")
        }
        let scope: CertificatePagesScope
        if let classID {
            guard try await schoolClass(id: classID) != nil else {
                throw .notFound(.class(classID), "no class \'\(classID)\' is stored; `\(.rosterList)` shows every class")
            }
            scope = .schoolClass(classID)
        } else if let schoolID {
            guard try await school(id: schoolID) != nil else {
                throw .notFound(.school(schoolID), "no school \'\(schoolID)\' is stored; `\(.rosterList)` shows every school's classes")
            }
            scope = .school(schoolID)
        } else {
            throw .usage("give \(field: .class) or \(field: .school) with \(field: .program)")
        }
        let issuer = try await issuer()
        let base = issuer?.url ?? verifyBase
        if let base {
            guard Self.isWebAddress(base) else {
                throw .usage("\(field: .verifyURL) '\(base)' is not an https address; give the public address of the verification page, like https://district.example.org")
            }
            // The longest address a code makes: every code has the same length.
            let longest = PrintableCertificate.verifyURL(base: base, code: CertificateCode(stored: "0000000000000000"))
            guard longest.utf8.count <= QRCode.maximumBytes else {
                throw .usage("the verification address \(longest) is \(longest.utf8.count) bytes, more than the \(QRCode.maximumBytes) a printed QR code here holds; use a shorter address")
            }
        }
        let name = Self.certificatePagesFileName(programID: programID, classID: classID, schoolID: schoolID, on: today)
        let sink = try CertificatePagesFile.open(destination, name: name, replacing: replacing)
        var failure: BridgesError?
        var holders: Set<String> = []
        let scopeWords = classID.map { "class \($0)" } ?? schoolID.map { "school \($0)" } ?? ""
        let started = sink.append(PrintableCertificate.documentStart(title: "\(program.title) — \(scopeWords)"))
        if let error = started { failure = error }
        let count: Int
        do throws(BridgesError) {
            count = try await store { () async throws(StoreError) in
                try await database.currentCertificates(programID: programID, in: scope, on: today.description) { stored, details in
                    guard failure == nil else { return false }
                    let certificate = CertificateInfo(stored, on: today)
                    holders.insert(stored.studentID)
                    let page = PrintableCertificate.page(
                        certificate, programTitle: program.title, school: issuer?.name ?? details.schoolName,
                        agency: details.officerAgency, verifyURL: base.map { PrintableCertificate.verifyURL(base: $0, code: certificate.code) })
                    failure = sink.append(page)
                    return failure == nil
                }
            }
        } catch {
            sink.discard()
            throw error
        }
        if let failure {
            sink.discard()
            throw failure
        }
        guard count > 0 else {
            sink.discard()
            throw .notFound(.certificates, "no current certificate of \(programID) for \(scopeWords) (revoked and expired ones are not printed); `\(.certificateList) \(field: .program) \(programID)` shows them")
        }
        if let error = sink.append(PrintableCertificate.documentEnd) {
            sink.discard()
            throw error
        }
        // Recorded in the disclosure log in the transaction that publishes the file.
        var path: String?
        do throws(BridgesError) {
            try await recordDisclosure(
                kind: "certificate pages", filters: [("program", programID), ("class", classID), ("school", schoolID)],
                rows: count, purpose: purpose, actor: actor, namesStudents: true, students: holders.sorted()
            ) { () throws(BridgesError) -> String in
                path = try sink.commit()
                return path ?? sink.recipient
            }
        } catch {
            sink.discard()
            throw error
        }
        return CertificatePages(path: path, pages: count, verifyBase: base)
    }
}

/// Where a file of certificate pages goes: a sink the caller owns (standard output), written as
/// the pages are made, or a private new file (see `PrivateFile`) published at its name once
/// complete. Bytes are gathered and written in large pieces.
private final class CertificatePagesFile {
    private let sink: (any ByteSink)?
    private let file: PrivateFile?
    private var path: String?
    /// The folder the file was named in (the front door's default folder, or the one a path
    /// was typed in): people are told `path` as it shows it.
    private var folder: ReportFolder?
    /// How messages and the disclosure log name a sink (`standard output`).
    private(set) var recipient = ""
    /// Bridges chose the name: a taken one gets `-2`, `-3` ….
    private let numbered: Bool
    private let replacing: Bool
    private var buffer: [UInt8] = []
    private static let bufferSize = 256 * 1024

    private init(sink: (any ByteSink)?, file: PrivateFile?, path: String?, numbered: Bool, replacing: Bool) {
        self.sink = sink
        self.file = file
        self.path = path
        self.numbered = numbered
        self.replacing = replacing
        buffer.reserveCapacity(Self.bufferSize)
    }

    static func open(_ destination: ReportDestination, name: String, replacing: Bool) throws(BridgesError) -> CertificatePagesFile {
        let path: String
        let numbered: Bool
        var shownIn: ReportFolder?
        switch destination {
        case .sink(let sink, let recipient):
            let pages = CertificatePagesFile(sink: sink, file: nil, path: nil, numbered: false, replacing: false)
            pages.recipient = recipient
            return pages
        case .defaultFolder(let folder):
            try destination.checkFromRoot()
            try folder.make()
            path = folder.file(name)
            numbered = true
            shownIn = folder
        case .path(let given, let folder):
            try destination.checkFromRoot()
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: given, isDirectory: &isFolder), isFolder.boolValue {
                path = given.hasSuffix("/") ? "\(given)\(name)" : "\(given)/\(name)"
                numbered = true
            } else {
                path = given
                numbered = false
            }
            shownIn = folder
        }
        if !numbered, !replacing, (try? SystemCall.linkStatus(of: path)) != nil {
            throw .usage("\(shownIn?.shown(path) ?? path) already exists; remove it, or pass \(field: .force) to replace it. Nothing was written")
        }
        do {
            let file = try PrivateFile(beside: path)
            let pages = CertificatePagesFile(sink: nil, file: file, path: path, numbered: numbered, replacing: replacing)
            pages.folder = shownIn
            return pages
        } catch {
            throw BridgesError(shownIn?.shown(error) ?? error)
        }
    }

    /// The path people are told (the disclosure log's, the result's).
    private var shownPath: String? { path.map { folder?.shown($0) ?? $0 } }

    /// Adds text; returns the failure of a write, if one was needed and failed.
    func append(_ text: String) -> BridgesError? {
        buffer.append(contentsOf: text.utf8)
        return buffer.count >= Self.bufferSize ? flush() : nil
    }

    private func flush() -> BridgesError? {
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer.withUnsafeBytes { bytes -> BridgesError? in
            if let file {
                do throws(PrivateFileError) {
                    try file.write(bytes)
                    return nil
                } catch {
                    return error.isDiskFull
                        ? .io("the disk is full: writing \(shownPath ?? "the file") failed (\(error.reason)); free some space and print again; no file was left")
                        : .io("writing \(shownPath ?? "the file") failed: \(error.reason); no file was left")
                }
            }
            guard let sink else { return nil }
            do throws(ByteSinkError) {
                try sink.write(bytes)
                return nil
            } catch {
                return .io("writing \(recipient) failed: \(error.reason); the output is incomplete")
            }
        }
    }

    /// Writes what is left and publishes the file: replacing only when asked, else under the
    /// next free number for a name Bridges chose, else refused. Returns the path as people are
    /// told it, nil for a sink.
    func commit() throws(BridgesError) -> String? {
        if let failure = flush() {
            discard()
            throw failure
        }
        guard let file, let path else { return nil }
        if replacing || !numbered {
            do throws(PrivateFileError) {
                try file.publish(replacing: replacing)
            } catch {
                if error.kind == .exists {
                    throw .usage("\(shownPath ?? path) already exists (it appeared while the file was written); remove it, or pass \(field: .force) to replace it. Nothing was written")
                }
                throw BridgesError(folder?.shown(error) ?? error)
            }
            return shownPath
        }
        let stem = path.hasSuffix(".html") ? String(path.dropLast(5)) : path
        let suffix = path.hasSuffix(".html") ? ".html" : ""
        for number in 1...999 {
            let candidate = number == 1 ? path : "\(stem)-\(number)\(suffix)"
            do throws(PrivateFileError) {
                try file.publish(at: candidate, replacing: false)
                self.path = candidate
                return shownPath
            } catch {
                if error.kind != .exists { throw BridgesError(folder?.shown(error) ?? error) }
            }
        }
        throw .io("\(folder?.shown(path) ?? path) and 998 numbered copies of it already exist; move old files away and print again")
    }

    /// Removes what a failed run wrote, so that nothing half-written is left behind.
    func discard() {
        file?.discard()
    }
}
