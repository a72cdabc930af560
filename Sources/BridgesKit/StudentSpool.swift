import BridgesSystem

/// The students a report names, gathered while the report is written with the memory an export
/// takes kept flat however many students it names (a state's attendance report names a
/// million): up to `limit` distinct students are held in memory (a district's report never
/// needs more), and past that they go to a private scratch file in batches. The store reads
/// them back once, inside the transaction that records the disclosure, and keeps each student
/// once.
///
/// Ids are stored one per line: a student id never holds a line break (the roster refuses
/// control characters in ids).
final class StudentSpool {
    /// The operation's temporary folder, where a private folder for the file is made when one is
    /// first needed (most reports never need one).
    private let scratch: String
    /// The private folder (only this user can enter it) and the file in it, once made.
    private var folder: String?
    private var file: PrivateFile?
    private var buffer: [UInt8] = []
    /// The students noted since the last batch went to the file, each once.
    private var pending = Set<String>()
    private let limit: Int
    /// The first failure to make or write the file; `add` cannot throw inside a report's row
    /// callback, so it is kept and thrown by `forEach`.
    private var failure: BridgesError?

    /// `scratch`: the operation's temporary folder.
    init(in scratch: String, limit: Int = 65_536) {
        self.scratch = scratch
        self.limit = limit
    }

    private static let chunk = 1 << 16

    /// Notes that the report names `student`.
    func add(_ student: String) {
        guard pending.insert(student).inserted, pending.count >= limit else { return }
        spill()
    }

    /// Writes the students held in memory to the file (made now if this is the first batch) and
    /// forgets them. After a failure the rest is dropped (memory stays flat) and `forEach` throws it.
    private func spill() {
        defer { pending.removeAll(keepingCapacity: true) }
        guard failure == nil, let file = openFile() else { return }
        for student in pending {
            buffer.append(contentsOf: student.utf8)
            buffer.append(0x0A)
            if buffer.count >= Self.chunk { flush(file) }
        }
        flush(file)
    }

    private func openFile() -> PrivateFile? {
        if let file { return file }
        do {
            let made = try PrivateFile.makePrivateFolder(in: scratch, tag: "students")
            folder = made
            let spool = try PrivateFile(beside: made + "/disclosed-students", tag: "spool", readable: true)
            file = spool
            // Its name and folder go at once (as a spooled report's): the ids live only behind the
            // open descriptor, so no ending of the process leaves them in the temporary folder.
            try? SystemCall.unlink(spool.temporaryPath)
            try? SystemCall.removeEmptyFolder(made)
        } catch {
            failure = .io("cannot make a scratch file in \(folder ?? scratch) for the students a report names: \(error.reason)")
        }
        return file
    }

    private func flush(_ file: PrivateFile) {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard !buffer.isEmpty, failure == nil else { return }
        let written = buffer.withUnsafeBytes { bytes -> PrivateFileError? in
            do throws(PrivateFileError) {
                try file.write(bytes)
                return nil
            } catch {
                return error
            }
        }
        if let written { failure = .io("cannot keep the students a report names in \(file.temporaryPath): \(written.reason)") }
    }

    /// Each student noted, at least once (a student noted again after a batch went to the file
    /// comes back again): from memory when they all fit, else from the file a chunk at a time.
    func forEach(_ body: (String) throws -> Void) throws {
        if let failure { throw failure }
        guard let file else {
            for student in pending { try body(student) }
            return
        }
        spill()
        if let failure { throw failure }
        let reader = try ReadOnlyFile(duplicating: file.descriptor)
        var offset = 0
        var carried: [UInt8] = []
        while offset < reader.size {
            let chunk = try reader.read(at: offset, upTo: Self.chunk)
            if chunk.isEmpty { break }
            offset += chunk.count
            var start = 0
            for index in chunk.indices where chunk[index] == 0x0A {
                if carried.isEmpty {
                    try body(String(decoding: chunk[start..<index], as: UTF8.self))
                } else {
                    carried.append(contentsOf: chunk[start..<index])
                    try body(String(decoding: carried, as: UTF8.self))
                    carried.removeAll(keepingCapacity: true)
                }
                start = index + 1
            }
            carried.append(contentsOf: chunk[start...])
        }
    }

    /// Removes the scratch file and its folder, if they were made.
    func remove() {
        file?.discard()
        if let folder { try? SystemCall.removeEmptyFolder(folder) }
    }
}

/// The students a disclosure names, handed to the store one at a time: a report's spool, or the
/// few students of a certificate page or a student's record.
protocol DisclosedStudents {
    func forEach(_ body: (String) throws -> Void) throws
}

extension StudentSpool: DisclosedStudents {}
extension Array: DisclosedStudents where Element == String {}

/// None, for a report that names no student.
extension Optional: DisclosedStudents where Wrapped: DisclosedStudents {
    func forEach(_ body: (String) throws -> Void) throws {
        try self?.forEach(body)
    }
}
