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
    /// A folder only this user can enter (a shared temporary folder is no place for the file).
    private let folder: String
    private let file: PrivateFile
    private var buffer: [UInt8] = []
    /// The students noted since the last batch went to the file, each once.
    private var pending = Set<String>()
    private let limit: Int
    /// The first write that failed; `add` cannot throw inside a report's row callback, so the
    /// failure is kept and thrown by `forEach`.
    private var failure: PrivateFileError?

    /// A new private file in a private folder made inside `scratch` (the operation's
    /// temporary folder).
    init(in scratch: String, limit: Int = 65_536) throws(BridgesError) {
        self.limit = limit
        do {
            folder = try PrivateFile.makePrivateFolder(in: scratch, tag: "students")
        } catch {
            throw .io("cannot make a private folder in \(scratch) for the students a report names: \(error.reason)")
        }
        do {
            file = try PrivateFile(beside: folder + "/disclosed-students", tag: "spool", readable: true)
        } catch {
            try? SystemCall.removeEmptyFolder(folder)
            throw .io("cannot make a scratch file in \(folder) for the students a report names: \(error.reason)")
        }
        buffer.reserveCapacity(Self.chunk)
    }

    private static let chunk = 1 << 16

    /// Notes that the report names `student`.
    func add(_ student: String) {
        guard pending.insert(student).inserted, pending.count >= limit else { return }
        spill()
    }

    /// Writes the students held in memory to the file and forgets them.
    private func spill() {
        for student in pending {
            buffer.append(contentsOf: student.utf8)
            buffer.append(0x0A)
            if buffer.count >= Self.chunk { flush() }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes the buffer to the file; after a failed write the rest is dropped (memory stays
    /// flat) and `forEach` throws the failure.
    private func flush() {
        guard !buffer.isEmpty else { return }
        guard failure == nil else {
            buffer.removeAll(keepingCapacity: true)
            return
        }
        let file = self.file
        failure = buffer.withUnsafeBytes { bytes -> PrivateFileError? in
            do throws(PrivateFileError) {
                try file.write(bytes)
                return nil
            } catch {
                return error
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Each student noted, at least once (a student noted again after a batch went to the file
    /// comes back again), read back from the file a chunk at a time.
    func forEach(_ body: (String) throws -> Void) throws {
        spill()
        flush()
        if let failure { throw BridgesError.io("cannot keep the students a report names in \(file.temporaryPath): \(failure.reason)") }
        let reader = try ReadOnlyFile(opening: file.temporaryPath)
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

    /// Removes the scratch file and its folder.
    func remove() {
        file.discard()
        try? SystemCall.removeEmptyFolder(folder)
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
