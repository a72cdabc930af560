import Foundation
import Testing

/// Runs the built `bridges` executable as a person would: arguments, a working folder, and
/// standard output and standard error read back in full.
///
/// The executable is the `bridges` product in the same build products folder as this test
/// bundle (`.build/debug/` under `swift test`). `swift test` builds every product of the
/// package before it runs the tests, so it is there; set `BRIDGES_EXECUTABLE` to test another
/// build.
struct BridgesProcess {
    struct Outcome: CustomStringConvertible {
        /// The exit status; when `crashed`, the number of the signal that ended the process.
        var status: Int32
        /// Ended by a signal (a crash or the hang guard), not by exiting.
        var crashed: Bool
        var standardOutput: String
        var standardError: String
        var elapsed: Duration
        /// The process was still running at the hang guard and was killed.
        var timedOut: Bool

        /// Standard error's lines, without the final empty one.
        var errorLines: [String] { standardError.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }

        var description: String {
            "\(crashed ? "killed by signal" : "exit") \(status)\(timedOut ? " (hung: killed after \(elapsed))" : "")\n--- stdout\n\(standardOutput)--- stderr\n\(standardError)---"
        }
    }

    /// How long any one run may take before it is treated as hung and killed.
    static let hangGuard: Duration = .seconds(30)

    static let executable: URL? = locateExecutable()

    /// Where the built `bridges` is: next to the running test executable (or a few folders up
    /// from it, for bundle layouts), else under this package's `.build/debug`.
    static func locateExecutable() -> URL? {
        let manager = FileManager.default
        if let override = ProcessInfo.processInfo.environment["BRIDGES_EXECUTABLE"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        var starts: [URL] = []
        if let first = CommandLine.arguments.first, !first.isEmpty {
            starts.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        starts.append(Bundle.main.bundleURL.resolvingSymlinksInPath())
        starts.append(Bundle.main.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent())
        for start in starts {
            var folder = start
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("bridges")
                var isFolder: ObjCBool = false
                if manager.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue, manager.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let fallback = package.appendingPathComponent(".build/debug/bridges")
        return manager.isExecutableFile(atPath: fallback.path) ? fallback : nil
    }

    /// Runs `bridges arguments…` in `folder` (or in its folder `inside`), with no `BRIDGES_DB` or
    /// `BRIDGES_ACTOR` from the environment of the test run.
    static func run(_ arguments: [String], in folder: TemporaryFolder, inside: String? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Outcome {
        try RunningBridges.start(arguments, in: folder, inside: inside, sourceLocation: sourceLocation).finish(limit: hangGuard)
    }
}

/// A `bridges` process started and left running, to be signalled or waited for.
struct RunningBridges {
    let process: Process
    let outputURL: URL
    let errorURL: URL

    /// Starts `bridges arguments…` in `folder` (or in its folder `inside`); `launcher` (e.g.
    /// `["prlimit", "--fsize=…"]`) runs it through another program.
    static func start(
        _ arguments: [String], in folder: TemporaryFolder, inside: String? = nil, through launcher: [String] = [],
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> RunningBridges {
        let executable = try #require(BridgesProcess.executable, "the bridges executable was not found next to the tests; run `swift build` first, or set BRIDGES_EXECUTABLE", sourceLocation: sourceLocation)
        let process = Process()
        if launcher.isEmpty {
            process.executableURL = executable
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = launcher + [executable.path] + arguments
        }
        process.currentDirectoryURL = inside.map { folder.url.appendingPathComponent($0) } ?? folder.url
        // No BRIDGES_DB or BRIDGES_ACTOR from the environment of the test run.
        var environment = ProcessInfo.processInfo.environment
        environment["BRIDGES_DB"] = nil
        environment["BRIDGES_ACTOR"] = nil
        process.environment = environment
        // Files rather than pipes, so a large output can never block the child.
        let name = UUID().uuidString
        let outputURL = folder.captureFolder.appendingPathComponent("\(name).out")
        let errorURL = folder.captureFolder.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer {
            try? output.close()
            try? error.close()
        }
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return RunningBridges(process: process, outputURL: outputURL, errorURL: errorURL)
    }

    /// Waits for the end (killing it after `limit`), and returns how it ended.
    func finish(limit: Duration = .seconds(60)) throws -> BridgesProcess.Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        var timedOut = false
        while process.isRunning {
            if clock.now - start > limit {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(2_000)
        }
        process.waitUntilExit()
        return BridgesProcess.Outcome(
            status: process.terminationStatus, crashed: process.terminationReason == .uncaughtSignal,
            standardOutput: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self),
            elapsed: clock.now - start, timedOut: timedOut)
    }

    /// Sends `signal` after `delay` if the process is still running, then waits for its end.
    func interrupt(with signal: Int32, after delay: Duration) throws -> BridgesProcess.Outcome {
        let clock = ContinuousClock()
        let deadline = clock.now + delay
        while process.isRunning, clock.now < deadline { usleep(1_000) }
        if process.isRunning { kill(process.processIdentifier, signal) }
        return try finish()
    }
}

/// A private folder for one test: its lesson plans, its database, and the captured output of
/// the commands it runs. Removed by `remove()` (call it in a `defer`).
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("BridgesCLITests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        do {
            try FileManager.default.createDirectory(at: captureFolder, withIntermediateDirectories: false)
        } catch {
            remove()
            throw error
        }
    }

    /// A new folder set up by `setUp`. If setting up fails the folder is removed before the
    /// error goes on: the test never receives it, so its `defer { folder.remove() }` never runs.
    static func prepared(_ setUp: (TemporaryFolder) throws -> Void) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        do {
            try setUp(folder)
        } catch {
            folder.remove()
            throw error
        }
        return folder
    }

    /// `prepared` for a set-up that waits.
    static func prepared(_ setUp: (TemporaryFolder) async throws -> Void) async throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        do {
            try await setUp(folder)
        } catch {
            folder.remove()
            throw error
        }
        return folder
    }

    /// Where command output is captured, apart from the files a test writes.
    var captureFolder: URL { url.appendingPathComponent(".captured") }

    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    /// Writes `text` as UTF-8 to `relative`, creating folders on the way.
    func write(_ relative: String, _ text: String) throws {
        try write(relative, bytes: Array(text.utf8))
    }

    func write(_ relative: String, bytes: [UInt8]) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
