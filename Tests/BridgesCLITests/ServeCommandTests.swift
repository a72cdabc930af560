import BridgesKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `bridges serve` run as an administrator runs it: it listens on loopback, answers over HTTP,
/// logs each request, and stops cleanly on SIGTERM (server.md, "Running it").
@Suite("serve command", .timeLimit(.minutes(3)))
struct ServeCommandTests {
    /// Waits for the "listening on http://HOST:PORT" line and returns the address.
    func address(of server: RunningBridges) throws -> String? {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, server.process.isRunning {
            let text = String(decoding: (try? Data(contentsOf: server.errorURL)) ?? Data(), as: UTF8.self)
            if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) { return String(text[range]) }
            usleep(20_000)
        }
        return nil
    }

    /// One HTTP request: status and body.
    func request(_ url: String, method: String = "GET", body: String? = nil, headers: [String: String] = [:]) -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result = (0, "")
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 30)
        return result
    }

    @Test func serveAnswersSignsInWithATokenLogsAndStopsOnSIGTERM() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        #expect(try BridgesProcess.run(["user", "add", "dana", "--role", "officer", "--school", "0202", "--officer", "ofc-101", "--db", "term.sqlite"], in: folder).status == 0)
        let token = try BridgesProcess.run(["token", "create", "dana", "--db", "term.sqlite"], in: folder).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try RunningBridges.start(["serve", "--port", "0", "--db", "term.sqlite"], in: folder)
        defer { if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) } }
        let base = try #require(try address(of: server), "bridges serve did not say where it listens")
        let (health, ok) = request(base + "/healthz")
        #expect(health == 200)
        #expect(ok == "ok\n")
        let (status, classes) = request(base + "/api/v1/classes", headers: ["Authorization": "Bearer \(token)"])
        #expect(status == 200, "\(classes)")
        #expect(classes.contains("\"id\":\"8A\""))
        let (anonymous, _) = request(base + "/api/v1/classes")
        #expect(anonymous == 401)
        let outcome = try server.interrupt(with: SIGTERM, after: .zero)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(!outcome.crashed)
        #expect(outcome.standardError.contains("GET /healthz 200 "), "\(outcome)")
        #expect(outcome.standardError.contains("GET /api/v1/classes 200 ") && outcome.standardError.contains("ms dana"), "\(outcome)")
        #expect(outcome.standardError.contains("bridges serve: stopped"), "\(outcome)")
    }

    /// Behind nginx on the same machine every visitor's request comes from 127.0.0.1: with
    /// `--trusted-proxy 127.0.0.1` the verification page counts each visitor by the address the
    /// proxy added, and without it a visitor's own X-Forwarded-For header changes nothing.
    @Test func theVerifyLimitCountsVisitorsBehindATrustedProxyApartAndIgnoresTheHeaderOtherwise() async throws {
        let folder = try await CLITerm.folder()
        defer { folder.remove() }
        for trusted in [true, false] {
            let server = try RunningBridges.start(
                ["serve", "--port", "0", "--db", "term.sqlite"] + (trusted ? ["--trusted-proxy", "127.0.0.1"] : []), in: folder)
            defer { if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) } }
            let base = try #require(try address(of: server), "bridges serve did not say where it listens")
            for _ in 0..<30 {
                let (status, _) = request(base + "/verify", headers: ["X-Forwarded-For": "198.51.100.7"])
                #expect(status == 200)
            }
            let (same, _) = request(base + "/verify", headers: ["X-Forwarded-For": "198.51.100.7"])
            #expect(same == 429)
            let (other, _) = request(base + "/verify", headers: ["X-Forwarded-For": "198.51.100.8"])
            #expect(other == (trusted ? 200 : 429), "trusted proxy: \(trusted)")
            let outcome = try server.interrupt(with: SIGTERM, after: .zero)
            #expect(outcome.status == 0, "\(outcome)")
        }
        let refused = try BridgesProcess.run(["serve", "--trusted-proxy", "proxy.example", "--db", "term.sqlite"], in: folder)
        #expect(refused.status == 64)
        #expect(refused.standardError.contains("--trusted-proxy 'proxy.example' is not an IP address"), "\(refused)")
    }
}
