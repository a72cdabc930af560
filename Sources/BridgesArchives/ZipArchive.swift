import BridgesCore
import BridgesSystem
import CZlib
import Foundation

/// A .zip file read with care: the central directory parsed by hand, entries stored (method 0)
/// or deflated (method 8) and inflated with the system zlib, each checked against its CRC-32.
///
/// A roster export comes from outside, so the archive is treated as hostile:
/// - refused outright when any entry's name could climb out of a folder (`../evil`, `/etc/x`,
///   `C:\x`, a backslash or a NUL), when an entry is encrypted, when it needs ZIP64 or spans
///   disks, or when the directory's numbers do not fit the file;
/// - `extract` writes only to a file the caller names, never to a path taken from the archive;
/// - a zip bomb is refused: a total size cap over the entries extracted, a ratio cap per entry
///   (declared sizes are checked before inflating, and inflating stops the moment the output
///   outgrows what was declared).
///
/// Why not a package: ZIPFoundation adds a build warning here, and Bridges needs only this much.
/// Not `Sendable`: it owns an open file descriptor.
package final class ZipArchive {
    /// What extraction may cost.
    package struct Limits: Sendable {
        package init() {}

        /// Uncompressed bytes over every entry extracted from one archive.
        package var totalSize: UInt64 = 2 << 30
        /// Uncompressed size over compressed size, for entries larger than `ratioThreshold`.
        /// Real CSV compresses 5 to 20 times; a bomb, 1,000 times.
        package var ratio: UInt64 = 200
        /// Small entries may compress very well (a header and a few rows); they cannot hurt.
        package var ratioThreshold: UInt64 = 1 << 20
    }

    /// One file in the archive, as its central directory describes it.
    package struct Entry: Sendable, Hashable {
        /// The name as stored (UTF-8, or CP437 read as Latin-1 for ASCII names).
        package var name: String
        package var method: UInt16
        package var flags: UInt16
        package var crc32: UInt32
        package var compressedSize: UInt64
        package var uncompressedSize: UInt64
        package var localHeaderOffset: UInt64

        package var isDirectory: Bool { name.hasSuffix("/") }
        /// The last path component.
        package var fileName: String { String(name.split(separator: "/").last ?? "") }
        /// The folder part, `""` at the root, else ending in `/`.
        package var folder: String { String(name.dropLast(fileName.utf8.count)) }
    }

    /// Why an archive cannot be read; the message says what to do.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var description: String
        package init(_ description: String) { self.description = description }
    }

    /// How findings name the archive (as the user typed it).
    package let name: String
    package let entries: [Entry]
    private let descriptor: Int32
    private let size: UInt64

    /// Opens the archive at `path` and reads its directory. Throws `Failure`; a missing file is
    /// the caller's to check first.
    package init(path: String, name: String) throws(Failure) {
        self.name = name
        let fd: Int32
        do {
            fd = try SystemCall.openForReading(path)
        } catch {
            throw Failure("cannot open the file: \(error.message)")
        }
        guard let status = try? SystemCall.status(of: fd), status.isRegularFile else {
            try? SystemCall.close(fd)
            throw Failure("it is not a regular file")
        }
        descriptor = fd
        size = UInt64(status.size)
        do {
            entries = try Self.readDirectory(fd, size: UInt64(status.size))
        } catch {
            try? SystemCall.close(fd)
            throw error
        }
    }

    deinit { try? SystemCall.close(descriptor) }

    // MARK: Directory

    private static let endSignature: UInt32 = 0x0605_4B50
    private static let centralSignature: UInt32 = 0x0201_4B50
    private static let localSignature: UInt32 = 0x0403_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    /// No roster export has a directory this large (about a million entries).
    private static let maximumDirectorySize: UInt64 = 64 << 20

    private static func readDirectory(_ fd: Int32, size: UInt64) throws(Failure) -> [Entry] {
        // The end record is 22 bytes plus a comment of at most 65,535, at the very end.
        guard size >= 22 else { throw notAZip }
        let tailLength = min(size, 22 + 65_535)
        let tail = try readBytes(fd, at: size - tailLength, count: Int(tailLength))
        var endAt: Int?
        var index = tail.count - 22
        while index >= 0 {
            if tail.uint32(at: index) == endSignature, index + 22 + Int(tail.uint16(at: index + 20)) <= tail.count {
                endAt = index
                break
            }
            index -= 1
        }
        guard let end = endAt else { throw notAZip }
        let disk = tail.uint16(at: end + 4)
        let directoryDisk = tail.uint16(at: end + 6)
        let entriesOnDisk = tail.uint16(at: end + 8)
        let entryCount = tail.uint16(at: end + 10)
        let directorySize = UInt64(tail.uint32(at: end + 12))
        let directoryOffset = UInt64(tail.uint32(at: end + 16))
        if end >= 20, tail.uint32(at: end - 20) == zip64LocatorSignature || entryCount == 0xFFFF
            || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF
        {
            throw Failure("the archive uses ZIP64 (for archives over 4 GB), which Bridges does not read; "
                + "zip the OneRoster files with an ordinary zip tool")
        }
        guard disk == 0, directoryDisk == 0, entriesOnDisk == entryCount else {
            throw Failure("the archive is split over several files (disks); put the OneRoster files in one .zip")
        }
        let endOffset = size - tailLength + UInt64(end)
        guard directoryOffset + directorySize <= endOffset, directorySize <= maximumDirectorySize else {
            throw damaged("its directory lies outside the file")
        }
        let directory = try readBytes(fd, at: directoryOffset, count: Int(directorySize))
        var entries: [Entry] = []
        entries.reserveCapacity(Int(entryCount))
        var at = 0
        for _ in 0..<Int(entryCount) {
            guard at + 46 <= directory.count, directory.uint32(at: at) == centralSignature else {
                throw damaged("its directory is cut short")
            }
            let flags = directory.uint16(at: at + 8)
            let method = directory.uint16(at: at + 10)
            let crc = directory.uint32(at: at + 16)
            let compressed = UInt64(directory.uint32(at: at + 20))
            let uncompressed = UInt64(directory.uint32(at: at + 24))
            let nameLength = Int(directory.uint16(at: at + 28))
            let extraLength = Int(directory.uint16(at: at + 30))
            let commentLength = Int(directory.uint16(at: at + 32))
            let offset = UInt64(directory.uint32(at: at + 42))
            // A Unix zip keeps the file's mode in the top half of the external attributes.
            let madeOnUnix = directory.uint16(at: at + 4) >> 8 == 3
            let mode = directory.uint32(at: at + 38) >> 16
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else { throw damaged("its directory is cut short") }
            let nameBytes = Array(directory[(at + 46)..<(at + 46 + nameLength)])
            let name = try entryName(nameBytes, isUTF8: flags & 0x0800 != 0)
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
                throw Failure("the entry '\(name)' uses ZIP64 (over 4 GB), which Bridges does not read")
            }
            if flags & 0x0001 != 0 || flags & 0x0040 != 0 || method == 99 {
                throw Failure("the entry '\(name)' is encrypted; export the roster without a password")
            }
            if madeOnUnix, mode & 0o170000 == 0o120000 {
                throw Failure("the entry '\(name)' is a symbolic link; a OneRoster export holds files only: "
                    + "zip the files themselves, not links to them")
            }
            guard offset + 30 <= directoryOffset else { throw damaged("the entry '\(name)' starts outside the file") }
            entries.append(Entry(
                name: name, method: method, flags: flags, crc32: crc, compressedSize: compressed,
                uncompressedSize: uncompressed, localHeaderOffset: offset))
            at = next
        }
        try checkNoOverlap(fd, entries, directoryOffset: directoryOffset)
        return entries
    }

    /// Refuses entries whose local headers and data overlap one another (or the directory).
    ///
    /// A zip tool writes each entry's bytes once, one after another. An archive whose directory
    /// points many entries into one deflate stream (David Fifield's "overlapping files" zip bomb)
    /// passes every per-entry check while unpacking gigabytes from megabytes, so such an archive
    /// is refused before anything is inflated. Costs one 30-byte read per entry and a sort.
    private static func checkNoOverlap(_ fd: Int32, _ entries: [Entry], directoryOffset: UInt64) throws(Failure) {
        var spans: [(start: UInt64, end: UInt64, index: Int)] = []
        spans.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            let local = try readBytes(fd, at: entry.localHeaderOffset, count: 30)
            guard local.uint32(at: 0) == localSignature else {
                throw damaged("the entry '\(entry.name)' is not where its directory says")
            }
            let dataStart = entry.localHeaderOffset + 30 + UInt64(local.uint16(at: 26)) + UInt64(local.uint16(at: 28))
            let end = dataStart + entry.compressedSize
            guard end <= directoryOffset else { throw damaged("the entry '\(entry.name)' runs into the archive's directory") }
            spans.append((entry.localHeaderOffset, end, index))
        }
        spans.sort { $0.start < $1.start }
        for (earlier, later) in zip(spans, spans.dropFirst()) where later.start < earlier.end {
            throw Failure(
                "the entries '\(entries[earlier.index].name)' and '\(entries[later.index].name)' share bytes in the "
                    + "archive, which no zip tool writes: overlapping entries are how a small zip bomb unpacks to "
                    + "gigabytes, so Bridges refuses the archive. Zip the OneRoster files again with an ordinary zip tool")
        }
    }

    /// The entry's name, refused when it could reach outside the folder it is unpacked in.
    private static func entryName(_ bytes: [UInt8], isUTF8: Bool) throws(Failure) -> String {
        // Names that are not flagged UTF-8 are CP437; the names Bridges looks for are ASCII,
        // and anything else only has to be shown in a message.
        let name = isUTF8 || bytes.allSatisfy({ $0 < 0x80 })
            ? String(decoding: bytes, as: UTF8.self)
            : String(bytes.map { Character(Unicode.Scalar($0)) })
        let shown = name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : String($0) }.joined()
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        let unsafe = bytes.isEmpty || bytes.contains(0) || bytes.contains(UInt8(ascii: "\\"))
            || name.hasPrefix("/") || components.contains("..")
            || (bytes.count >= 2 && bytes[1] == UInt8(ascii: ":"))
        if unsafe {
            throw Failure("the archive has an entry named '\(shown)', which could write outside the folder it is "
                + "unpacked in; Bridges refuses such archives. Zip the OneRoster files again from their folder")
        }
        return name
    }

    private static var notAZip: Failure {
        Failure("this is not a .zip archive (no zip directory at its end); export the roster as a OneRoster 1.1 CSV zip")
    }

    private static func damaged(_ why: String) -> Failure {
        Failure("the archive is damaged: \(why); download or export it again")
    }

    private static func readBytes(_ fd: Int32, at offset: UInt64, count: Int) throws(Failure) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let read = bytes.withUnsafeMutableBytes { buffer in
                Result { () throws(SystemCallError) in
                    try SystemCall.read(fd, into: buffer.baseAddress! + done, count: count - done, at: Int64(offset) + Int64(done))
                }
            }
            let got: Int
            switch read {
            case .success(let count): got = count
            case .failure(let error): throw Failure("cannot read the file: \(error.message)")
            }
            if got == 0 { throw damaged("it ends early") }
            done += got
        }
        return bytes
    }

    // MARK: Extraction

    /// Checks the declared sizes of `entries` against `limits` before anything is unpacked, so a
    /// bomb is refused without inflating a byte of it.
    package func check(_ entries: [Entry], limits: Limits) throws(Failure) {
        var total: UInt64 = 0
        for entry in entries {
            total += entry.uncompressedSize
            if total > limits.totalSize {
                throw Failure("the OneRoster files would unpack to more than \(Self.describe(limits.totalSize)); "
                    + "Bridges refuses archives this large (or built to fill a disk)")
            }
            if entry.uncompressedSize > limits.ratioThreshold,
                entry.uncompressedSize / max(entry.compressedSize, 1) > limits.ratio
            {
                throw Failure("the entry '\(entry.name)' would unpack from \(Self.describe(entry.compressedSize)) to "
                    + "\(Self.describe(entry.uncompressedSize)), more than \(limits.ratio) times its size, which no roster "
                    + "does: Bridges refuses it as a zip bomb")
            }
        }
    }

    /// Unpacks `entry` into a new file at `destination` (created 0600; it must not exist), and
    /// checks its size and CRC-32. Inflating stops as soon as the output outgrows the declared
    /// size, so a lying header cannot fill the disk.
    package func extract(_ entry: Entry, to destination: String) throws(Failure) {
        guard entry.method == 0 || entry.method == 8 else {
            throw Failure("the entry '\(entry.name)' is compressed with method \(entry.method); Bridges reads stored and "
                + "deflated entries: zip the files with an ordinary zip tool")
        }
        let local = try Self.readBytes(descriptor, at: entry.localHeaderOffset, count: 30)
        guard local.uint32(at: 0) == Self.localSignature else { throw Self.damaged("the entry '\(entry.name)' is not where its directory says") }
        let dataStart = entry.localHeaderOffset + 30 + UInt64(local.uint16(at: 26)) + UInt64(local.uint16(at: 28))
        guard dataStart + entry.compressedSize <= size else { throw Self.damaged("the entry '\(entry.name)' runs past the end of the file") }

        let output: Int32
        do {
            output = try PrivateFile.createNew(destination)
        } catch {
            throw Failure("cannot create \(destination): \(error.reason)")
        }
        defer { try? SystemCall.close(output) }
        var sink = Sink(output: output, limit: entry.uncompressedSize, entry: entry.name)
        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else {
                throw Self.damaged("the stored entry '\(entry.name)' has two different sizes")
            }
            try copy(from: dataStart, count: entry.compressedSize) { chunk throws(Failure) in try sink.write(chunk) }
        } else {
            try inflate(from: dataStart, count: entry.compressedSize, into: &sink)
        }
        guard sink.written == entry.uncompressedSize else {
            throw Self.damaged("the entry '\(entry.name)' unpacks to \(sink.written) bytes, not the \(entry.uncompressedSize) its header says")
        }
        guard sink.crc == entry.crc32 else {
            throw Self.damaged("the entry '\(entry.name)' fails its CRC-32 check")
        }
    }

    private static let chunkSize = 64 * 1024

    /// Where unpacked bytes go: the file, the running CRC-32, and the size check.
    private struct Sink {
        let output: Int32
        let limit: UInt64
        let entry: String
        var written: UInt64 = 0
        var crc: UInt32 = 0

        mutating func write(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
            guard !bytes.isEmpty else { return }
            written += UInt64(bytes.count)
            guard written <= limit else {
                throw Failure("the entry '\(entry)' unpacks to more than the \(limit) bytes its header says; "
                    + "Bridges refuses it as a zip bomb")
            }
            let base = bytes.baseAddress!.assumingMemoryBound(to: Bytef.self)
            crc = UInt32(truncatingIfNeeded: CZlib.crc32(uLong(crc), base, uInt(bytes.count)))
            do {
                try SystemCall.writeAll(output, bytes)
            } catch {
                throw Failure("cannot write the unpacked '\(entry)': \(error.message)")
            }
        }
    }

    /// Reads `count` bytes from `offset` in chunks.
    private func copy(from offset: UInt64, count: UInt64, _ body: (UnsafeRawBufferPointer) throws(Failure) -> Void) throws(Failure) {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var done: UInt64 = 0
        while done < count {
            let want = Int(min(UInt64(Self.chunkSize), count - done))
            let got: Int
            do {
                got = try SystemCall.read(descriptor, into: buffer, count: want, at: Int64(offset + done))
            } catch {
                throw Failure("cannot read the file: \(error.message)")
            }
            if got == 0 { throw Self.damaged("it ends early") }
            try body(UnsafeRawBufferPointer(start: buffer, count: got))
            done += UInt64(got)
        }
    }

    /// Raw inflate (no zlib header, as in a zip entry) of `count` bytes from `offset`.
    private func inflate(from offset: UInt64, count: UInt64, into sink: inout Sink) throws(Failure) {
        // zlib keeps a pointer back to the stream, so the stream must not move: heap-allocate it.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard bridges_inflateInitRaw(stream) == Z_OK else { throw Failure("zlib could not start inflating (out of memory?)") }
        defer { inflateEnd(stream) }
        let output = UnsafeMutablePointer<Bytef>.allocate(capacity: Self.chunkSize)
        defer { output.deallocate() }
        var ended = false
        try copy(from: offset, count: count) { chunk throws(Failure) in
            guard !ended else { return }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: chunk.baseAddress!.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(chunk.count)
            repeat {
                stream.pointee.next_out = output
                stream.pointee.avail_out = uInt(Self.chunkSize)
                let status = CZlib.inflate(stream, Z_NO_FLUSH)
                let produced = Self.chunkSize - Int(stream.pointee.avail_out)
                try sink.write(UnsafeRawBufferPointer(start: output, count: produced))
                switch status {
                case Z_STREAM_END:
                    ended = true
                    return
                case Z_OK:
                    break
                case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                    return
                default:
                    throw Self.damaged("the entry's compressed data is corrupt (zlib error \(status))")
                }
            } while stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0
        }
        guard ended else { throw Self.damaged("an entry's compressed data ends early") }
    }

    static func describe(_ bytes: UInt64) -> String {
        if bytes >= 1 << 30 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}

extension Array where Element == UInt8 {
    /// Little-endian, as every number in a zip is.
    fileprivate func uint16(at index: Int) -> UInt16 {
        UInt16(self[index]) | UInt16(self[index + 1]) << 8
    }

    fileprivate func uint32(at index: Int) -> UInt32 {
        UInt32(self[index]) | UInt32(self[index + 1]) << 8 | UInt32(self[index + 2]) << 16 | UInt32(self[index + 3]) << 24
    }
}
