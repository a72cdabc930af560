import CZlib

/// Compression into the gzip format (RFC 1952), with the system zlib: what a published Bitstring
/// Status List carries.
package enum Gzip {
    /// Why zlib would not compress.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    /// `bytes` as one gzip member.
    package static func compress(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard bridges_deflateInitGzip(&stream) == Z_OK else { throw Failure(description: "zlib could not start compressing") }
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        let status = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Failure(description: "zlib could not compress (status \(status))") }
        return Array(output.prefix(Int(stream.total_out)))
    }
}
