import BridgesKit
import Foundation
import Hummingbird
import Logging

/// `bridges serve`: Kit's operations behind accounts, roles and HTTP (server.md).
///
/// The front door hands it an open database (`Registrar`) and where to log; it never sees a
/// database path or SQL, prints nothing itself and reads no environment.
public struct BridgesServer: Sendable {
    let operations: Operations
    let settings: ServerSettings
    let log: @Sendable (String) -> Void
    let verifyLimit: VerifyRateLimit

    /// Serves `records` with `settings`; each request's log line goes to `log`.
    public init(records: Registrar, settings: ServerSettings, log: @escaping @Sendable (String) -> Void) {
        operations = Operations(records: records)
        self.settings = settings
        self.log = log
        verifyLimit = VerifyRateLimit(clock: settings.clock)
    }

    /// Every route: the API's and the pages'. (The tests read its `routes` against the OpenAPI document.)
    var router: Router<BridgesRequestContext> {
        let router = Router(context: BridgesRequestContext.self)
        APIRoutes.add(to: router, operations: operations, settings: settings)
        WriteRoutes.add(to: router, operations: operations)
        SessionPages.add(to: router, operations: operations)
        UploadRoutes.add(to: router, operations: operations)
        UploadRoutes.addLessonPlans(to: router, operations: operations)
        Pages.add(to: router, operations: operations, settings: settings, verifyLimit: verifyLimit)
        return router
    }

    /// The routes with the gate in front of them.
    var responder: some HTTPResponder<BridgesRequestContext> {
        Gate(inner: router.buildResponder(), operations: operations, log: log)
    }

    /// The application, for `run` and for tests (HummingbirdTesting).
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            responder: responder,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "bridges"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: Self.quietLogger)
    }

    /// Serves until SIGTERM or SIGINT, then finishes the requests in flight and returns.
    public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onServerRunning: onServerRunning).runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// Hummingbird's own logger says only what goes wrong; the request log is ours (`Gate`).
    static var quietLogger: Logger {
        var logger = Logger(label: "bridges.serve")
        logger.logLevel = .warning
        return logger
    }
}
