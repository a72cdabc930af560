import Foundation
import Testing

/// Issue 10, item 7: a OneRoster .zip or folder built by an attacker. Runs the built executable.
@Suite("OneRoster attacks (issue 10)", .timeLimit(.minutes(2)))
struct OneRosterAttackTests {
    func bridges(_ arguments: String..., in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BridgesProcess.Outcome {
        let outcome = try BridgesProcess.run(arguments + ["--db", "school.sqlite", "--actor", "registrar"], in: folder, sourceLocation: sourceLocation)
        #expect(!outcome.timedOut, "bridges \(arguments.joined(separator: " ")) hung", sourceLocation: sourceLocation)
        #expect(!outcome.crashed, "\(outcome)", sourceLocation: sourceLocation)
        return outcome
    }

    @Test func aZipWhoseEntriesShareOneDeflateStreamIsRefusedBeforeUnpacking() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // Given one deflate stream of 40 MB of 'a' (about 160 times smaller: under the per-entry
        // ratio cap) that every entry of the directory points at
        let names = ["manifest.csv", "orgs.csv", "users.csv", "classes.csv", "enrollments.csv"] + (1...20).map { "extra\($0).csv" }
        let zip = OverlappingZip.make(names: names, repeats: 155_000)
        #expect(zip.count < 1_100_000)
        try folder.write("district.zip", bytes: zip)
        // When it is imported
        let outcome = try bridges("roster", "import", "district.zip", in: folder)
        // Then it is refused as a zip bomb, at once, having unpacked nothing
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains("district.zip: error: the entries"), "\(outcome)")
        #expect(outcome.standardError.contains("share bytes in the archive"), "\(outcome)")
        #expect(outcome.elapsed < .seconds(5), "\(outcome.elapsed)")
    }

    @Test func aZipWithASymbolicLinkEntryIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        func file(_ name: String, _ text: String) -> (name: String, bytes: [UInt8], mode: UInt32) { (name, Array(text.utf8), 0o100644) }
        let zip = StoredZip.make([
            file("manifest.csv", "propertyName,value\r\noneroster.version,1.1\r\n"),
            file("orgs.csv", "sourcedId,name,type\r\nS1,School,school\r\n"),
            file("classes.csv", "sourcedId,title,schoolSourcedId\r\nc1,Class,S1\r\n"),
            (name: "users.csv", bytes: Array("/etc/passwd".utf8), mode: 0o120777),
            file("enrollments.csv", "sourcedId,classSourcedId,userSourcedId,role\r\n"),
        ])
        try folder.write("district.zip", bytes: zip)
        let outcome = try bridges("roster", "import", "district.zip", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains("district.zip: error: the entry 'users.csv' is a symbolic link"), "\(outcome)")
        // The same archive with users.csv a plain file imports (the builder writes good zips)
        let good = StoredZip.make([
            file("manifest.csv", "propertyName,value\r\noneroster.version,1.1\r\n"),
            file("orgs.csv", "sourcedId,name,type\r\nS1,School,school\r\n"),
            file("classes.csv", "sourcedId,title,schoolSourcedId\r\nc1,Class,S1\r\n"),
            file("users.csv", "sourcedId,role,givenName,familyName,grades\r\nu1,student,Ann,Lee,03\r\n"),
            file("enrollments.csv", "sourcedId,classSourcedId,userSourcedId,role\r\ne1,c1,u1,student\r\n"),
        ])
        try folder.write("good.zip", bytes: good)
        let imported = try bridges("roster", "import", "good.zip", in: folder)
        #expect(imported.status == 0, "\(imported)")
    }

    @Test func aFolderWithAFileLinkedFromOutsideIsRefusedWithoutShowingTheFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SmallOneRoster.write(to: folder, users: "u1,student,Ann,Lee,03\r\n")
        // Given a private file outside the export, and users.csv a link to it
        try folder.write("secret.txt", "root:SECRET-HASH-1234:0:0\nsecond line\n")
        chmod(folder.path("secret.txt"), 0o600)
        try FileManager.default.removeItem(atPath: folder.path("oneroster/users.csv"))
        try FileManager.default.createSymbolicLink(atPath: folder.path("oneroster/users.csv"), withDestinationPath: folder.path("secret.txt"))
        // When the folder is imported
        let outcome = try bridges("roster", "import", "oneroster", in: folder)
        // Then the link is refused, and nothing of the file is shown
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains("users.csv is a symbolic link"), "\(outcome)")
        #expect(!outcome.standardError.contains("SECRET"), "\(outcome)")
        #expect(!outcome.standardOutput.contains("SECRET"), "\(outcome)")
    }

    @Test func aLinkedManifestIsRefusedToo() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SmallOneRoster.write(to: folder, users: "u1,student,Ann,Lee,03\r\n")
        try folder.write("secret.txt", "SECRET-TOKEN\n")
        chmod(folder.path("secret.txt"), 0o600)
        try FileManager.default.removeItem(atPath: folder.path("oneroster/manifest.csv"))
        try FileManager.default.createSymbolicLink(atPath: folder.path("oneroster/manifest.csv"), withDestinationPath: folder.path("secret.txt"))
        let outcome = try bridges("roster", "import", "oneroster", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains("manifest.csv is a symbolic link"), "\(outcome)")
        #expect(!outcome.standardError.contains("SECRET"), "\(outcome)")
    }

    @Test func aFileThatIsNotTheExpectedCSVIsNotQuotedInTheHeaderError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try SmallOneRoster.write(to: folder, users: "u1,student,Ann,Lee,03\r\n")
        // Given a users.csv (a real file, copied by mistake) that is something else entirely
        try folder.write("oneroster/users.csv", "-----BEGIN OPENSSH PRIVATE KEY----- SECRETKEYMATERIAL\nmore\n")
        let outcome = try bridges("roster", "import", "oneroster", in: folder)
        #expect(outcome.status == 65, "\(outcome)")
        #expect(outcome.standardError.contains("users.csv:1: error: the header lacks the columns"), "\(outcome)")
        #expect(!outcome.standardError.contains("SECRET"), "\(outcome)")
        #expect(!outcome.standardError.contains("OPENSSH"), "\(outcome)")
        // While a header with some of the columns is still listed, to show what to fix
        try folder.write("oneroster/users.csv", "sourcedId,role,givenName,lastName,grades\r\nu1,student,Ann,Lee,03\r\n")
        let wrong = try bridges("roster", "import", "oneroster", in: folder)
        #expect(wrong.standardError.contains("it has sourcedId,role,givenName,lastName,grades"), "\(wrong)")
    }
}

/// A zip of stored (uncompressed) entries, one after another, each with a Unix mode.
enum StoredZip {
    static func make(_ entries: [(name: String, bytes: [UInt8], mode: UInt32)]) -> [UInt8] {
        var zip: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ v: Int, _ into: inout [UInt8]) { into += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: UInt32, _ into: inout [UInt8]) { into += (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        for entry in entries {
            let name = Array(entry.name.utf8)
            let crc = OverlappingZip.crc32(entry.bytes)
            let offset = UInt32(zip.count)
            u32(0x0403_4B50, &zip); u16(10, &zip); u16(0, &zip); u16(0, &zip); u16(0, &zip); u16(0, &zip); u32(crc, &zip)
            u32(UInt32(entry.bytes.count), &zip); u32(UInt32(entry.bytes.count), &zip); u16(name.count, &zip); u16(0, &zip)
            zip += name + entry.bytes
            u32(0x0201_4B50, &central); u16(3 << 8 | 20, &central); u16(10, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(crc, &central); u32(UInt32(entry.bytes.count), &central)
            u32(UInt32(entry.bytes.count), &central); u16(name.count, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(entry.mode << 16, &central); u32(offset, &central)
            central += name
        }
        let start = zip.count
        zip += central
        u32(0x0605_4B50, &zip); u16(0, &zip); u16(0, &zip); u16(entries.count, &zip); u16(entries.count, &zip)
        u32(UInt32(central.count), &zip); u32(UInt32(start), &zip); u16(0, &zip)
        return zip
    }
}

/// David Fifield's "overlapping files" construction, in its simplest form: one local header and
/// one deflate stream, and a central directory whose every entry points at them.
enum OverlappingZip {
    static func make(names: [String], repeats: Int) -> [UInt8] {
        let (stream, size, crc) = deflatedRun(repeats: repeats)
        var zip: [UInt8] = []
        func u16(_ v: Int) { zip += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: UInt32) { zip += (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        let first = Array(names[0].utf8)
        u32(0x0403_4B50); u16(20); u16(0); u16(8); u16(0); u16(0); u32(crc); u32(UInt32(stream.count)); u32(UInt32(size))
        u16(first.count); u16(0); zip += first; zip += stream
        let directoryStart = zip.count
        for name in names {
            let bytes = Array(name.utf8)
            u32(0x0201_4B50); u16(20); u16(20); u16(0); u16(8); u16(0); u16(0); u32(crc)
            u32(UInt32(stream.count)); u32(UInt32(size)); u16(bytes.count); u16(0); u16(0); u16(0); u16(0); u32(0)
            u32(0)  // every entry's local header is the one at offset 0
            zip += bytes
        }
        let directorySize = zip.count - directoryStart
        u32(0x0605_4B50); u16(0); u16(0); u16(names.count); u16(names.count)
        u32(UInt32(directorySize)); u32(UInt32(directoryStart)); u16(0)
        return zip
    }

    /// A raw deflate stream (one fixed-Huffman block) of 'a' then `repeats` copies of 258 more,
    /// with its size and CRC-32.
    static func deflatedRun(repeats: Int) -> (stream: [UInt8], size: Int, crc: UInt32) {
        var out: [UInt8] = []
        var bitBuffer: UInt64 = 0
        var bitCount = 0
        func bits(_ value: UInt64, _ count: Int) {
            bitBuffer |= value << bitCount
            bitCount += count
            while bitCount >= 8 {
                out.append(UInt8(bitBuffer & 0xFF))
                bitBuffer >>= 8
                bitCount -= 8
            }
        }
        // Huffman codes go most significant bit first.
        func code(_ value: UInt64, _ count: Int) {
            var reversed: UInt64 = 0
            for i in 0..<count where value >> i & 1 == 1 { reversed |= 1 << (count - 1 - i) }
            bits(reversed, count)
        }
        bits(1, 1)  // final block
        bits(1, 2)  // fixed Huffman
        code(0x30 + 0x61, 8)  // literal 'a'
        for _ in 0..<repeats {
            code(0xC0 + 5, 8)  // length 258 (symbol 285)
            code(0, 5)  // distance 1
        }
        code(0, 7)  // end of block (symbol 256)
        if bitCount > 0 { out.append(UInt8(bitBuffer & 0xFF)) }
        let size = 1 + 258 * repeats
        // CRC-32 of `size` bytes of 'a'.
        var crc: UInt32 = 0xFFFF_FFFF
        for _ in 0..<size { crc = crcTable[Int((crc ^ 0x61) & 0xFF)] ^ (crc >> 8) }
        return (out, size, crc ^ 0xFFFF_FFFF)
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
