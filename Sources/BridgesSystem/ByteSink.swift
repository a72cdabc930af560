/// Somewhere a report's bytes go, in order, that the caller opened and owns: standard output for
/// the command line, a file or a response body elsewhere. Whoever writes into it never closes it.
public protocol ByteSink: Sendable {
    /// Writes all of `bytes`, or throws; a sink that takes only some at a time loops itself.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ByteSinkError)
}

/// Why a sink could not take the bytes, in the system's words.
public struct ByteSinkError: Error, Sendable, Hashable {
    /// The reason alone ("No space left on device"), which the sentences people read quote.
    public var reason: String
    /// The disk or quota is full, the one failure people can fix at once.
    public var isDiskFull: Bool

    public init(reason: String, isDiskFull: Bool = false) {
        self.reason = reason
        self.isDiskFull = isDiskFull
    }
}

/// A sink that is an open file descriptor the caller owns (the command line's standard output
/// for `--out -`).
/// Short writes and `EINTR` are handled by `SystemCall.writeAll`, the one loop for them.
public struct DescriptorSink: ByteSink {
    public let descriptor: Int32

    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(ByteSinkError) {
        do {
            try SystemCall.writeAll(descriptor, bytes)
        } catch {
            throw ByteSinkError(reason: error.message, isDiskFull: error.isDiskFull)
        }
    }
}

extension ByteSink {
    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(ByteSinkError) {
        let failure = bytes.withUnsafeBytes { raw -> ByteSinkError? in
            do throws(ByteSinkError) {
                try write(raw)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }
}
