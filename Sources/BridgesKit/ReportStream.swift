import BridgesSystem

/// A finished report whose disclosure is recorded, held in a private file with no name left on
/// disk, for a server to send in chunks (`streamReport`): memory stays flat however
/// many rows it has, and nothing of it reaches anyone before the disclosure log has it.
public final class ReportStream: Sendable, Hashable {
    private let file: ReadOnlyFile

    init(_ file: ReadOnlyFile) {
        self.file = file
    }

    /// Its length in bytes.
    public var byteCount: Int { file.size }

    /// Up to `count` bytes from `offset`; empty at the end.
    public func read(at offset: Int, upTo count: Int) throws(BridgesError) -> [UInt8] {
        do {
            return try file.read(at: offset, upTo: count)
        } catch {
            throw .io("cannot read back the report: \(error.message)")
        }
    }

    public static func == (a: ReportStream, b: ReportStream) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
