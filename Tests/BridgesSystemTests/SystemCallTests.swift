@testable import BridgesSystem
import Foundation
import Synchronization
import Testing

/// Signals the no-op handler below has received.
private let alarms = Atomic<Int>(0)

/// `SystemCall`: a signal in the middle of a call is retried, not reported; a failure names the
/// call and carries its `errno`.
@Suite("System calls", .serialized)
struct SystemCallTests {
    /// A new folder only this user can write to.
    private func folder() throws -> String {
        try SystemCall.makeTemporaryFolder(FileManager.default.temporaryDirectory.path + "/SystemCallTests-XXXXXX")
    }

    @Test("a read interrupted by a signal is retried and returns what comes later")
    func readRetriesAfterASignal() throws {
        // Given a pipe with nothing in it yet, and SIGALRM caught by a handler that does nothing,
        // installed without SA_RESTART: a read blocked in the kernel fails with EINTR when it comes
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in alarms.add(1, ordering: .relaxed) }
        action.sa_flags = 0
        sigemptyset(&action.sa_mask)
        var previous = sigaction()
        #expect(sigaction(SIGALRM, &action, &previous) == 0)
        defer { sigaction(SIGALRM, &previous, nil) }
        let before = alarms.load(ordering: .relaxed)

        // When a thread waits in `read` (with SIGALRM unblocked), is signalled, then gets a byte
        let readEnd = ends[0]
        let outcome = ReadOutcome()
        let started = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            var unblock = sigset_t()
            sigemptyset(&unblock)
            sigaddset(&unblock, SIGALRM)
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
            outcome.thread = pthread_self()
            started.signal()
            var byte: UInt8 = 0
            outcome.result = Result { () throws(SystemCallError) in try SystemCall.read(readEnd, into: &byte, count: 1) }
            outcome.byte = byte
            done.signal()
        }
        reader.start()
        started.wait()
        Thread.sleep(forTimeInterval: 0.2)
        #expect(pthread_kill(outcome.thread!, SIGALRM) == 0)
        Thread.sleep(forTimeInterval: 0.2)
        var byte: UInt8 = 42
        #expect(write(ends[1], &byte, 1) == 1)
        done.wait()

        // Then the signal was delivered, and the read went on to return the byte
        #expect(alarms.load(ordering: .relaxed) > before)
        #expect(try outcome.result?.get() == 1)
        #expect(outcome.byte == 42)
    }

    @Test("a failed open names open and carries ENOENT")
    func openFailureNamesTheCall() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let error = #expect(throws: SystemCallError.self) { _ = try SystemCall.openForReading(dir + "/missing.csv") }
        #expect(error?.call == "open")
        #expect(error?.code == ENOENT)
        #expect(error?.isNotFound == true)
        #expect(error?.message == "No such file or directory")
        #expect(error?.description == "open: No such file or directory")
    }

    @Test("each wrapper names its own call", arguments: ["mkdir", "stat", "lstat", "unlink", "rename", "close", "fstat", "flock", "realpath", "read", "write", "fsync"])
    func everyCallNamesItself(call: String) throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = dir + "/missing"
        let error: SystemCallError?
        switch call {
        case "mkdir": error = #expect(throws: SystemCallError.self) { try SystemCall.makeFolder(dir, permissions: 0o700) }
        case "stat": error = #expect(throws: SystemCallError.self) { _ = try SystemCall.status(of: missing) }
        case "lstat": error = #expect(throws: SystemCallError.self) { _ = try SystemCall.linkStatus(of: missing) }
        case "unlink": error = #expect(throws: SystemCallError.self) { try SystemCall.unlink(missing) }
        case "rename": error = #expect(throws: SystemCallError.self) { try SystemCall.rename(missing, dir + "/other") }
        case "close": error = #expect(throws: SystemCallError.self) { try SystemCall.close(-1) }
        case "fstat": error = #expect(throws: SystemCallError.self) { _ = try SystemCall.status(of: Int32(-1)) }
        case "flock": error = #expect(throws: SystemCallError.self) { try SystemCall.lockExclusively(-1) }
        case "realpath": error = #expect(throws: SystemCallError.self) { _ = try SystemCall.realPath(missing) }
        case "read":
            var byte: UInt8 = 0
            error = #expect(throws: SystemCallError.self) { _ = try SystemCall.read(-1, into: &byte, count: 1) }
        case "write":
            let byte: [UInt8] = [1]
            error = #expect(throws: SystemCallError.self) { try byte.withUnsafeBytes { try SystemCall.writeAll(-1, $0) } }
        default:
            error = #expect(throws: SystemCallError.self) { try SystemCall.sync(-1) }
        }
        #expect(error?.call == call)
        #expect(error?.code != 0)
    }

    @Test("a name that is taken is refused with EEXIST, and nothing is replaced")
    func renameRefusingToReplace() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("new".utf8).write(to: URL(fileURLWithPath: dir + "/new"))
        try Data("old".utf8).write(to: URL(fileURLWithPath: dir + "/taken"))
        let error = #expect(throws: SystemCallError.self) { try SystemCall.renameRefusingToReplace(dir + "/new", dir + "/taken") }
        #expect(error?.code == EEXIST)
        #expect(try String(contentsOfFile: dir + "/taken", encoding: .utf8) == "old")
        try SystemCall.renameRefusingToReplace(dir + "/new", dir + "/free")
        #expect(try String(contentsOfFile: dir + "/free", encoding: .utf8) == "new")
        #expect(!SystemCall.exists(dir + "/new"))
    }

    @Test("a folder's entries come with their kinds, without . and ..")
    func folderEntries() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data().write(to: URL(fileURLWithPath: dir + "/a.xml"))
        try SystemCall.makeFolder(dir + "/sub", permissions: 0o700)
        #expect(symlink(dir + "/a.xml", dir + "/link") == 0)
        let entries = try SystemCall.folderEntries(dir).sorted { $0.name < $1.name }
        #expect(entries.map(\.name) == ["a.xml", "link", "sub"])
        // Some file systems do not say (`unknown`); those that do say it right.
        for (entry, kind) in zip(entries, [FolderEntry.Kind.regularFile, .symbolicLink, .folder]) {
            #expect(entry.kind == kind || entry.kind == .unknown)
        }
        #expect(try SystemCall.linkStatus(of: dir + "/link").isSymbolicLink)
        #expect(try SystemCall.status(of: dir + "/link").isRegularFile)
    }

    @Test("a temporary folder is new and its owner's alone")
    func temporaryFolder() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let status = try SystemCall.status(of: dir)
        #expect(status.isDirectory)
        #expect(status.permissions == 0o700)
        #expect(status.owner == SystemCall.effectiveUserID)
        #expect(!dir.hasSuffix("XXXXXX"))
    }

    @Test("this process is running; a process number no one has is not")
    func processes() {
        #expect(SystemCall.processIsRunning(SystemCall.processID))
        #expect(!SystemCall.processIsRunning(Int32.max))
    }
}

/// What the reading thread of the EINTR test got; written by it before it signals.
private final class ReadOutcome: @unchecked Sendable {
    var thread: pthread_t?
    var result: Result<Int, SystemCallError>?
    var byte: UInt8 = 0
}
