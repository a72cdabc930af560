import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Sign-in, sign-out, `me`, cookies, CSRF and Bearer tokens (server.md, "The JSON API").
@Suite("server sign-in", .timeLimit(.minutes(3)))
struct SignInTests {
    /// Signs in and returns the cookie header to send back and the CSRF token.
    static func signIn(_ client: any TestClientProtocol, _ name: String, password: String? = nil) async throws -> (cookie: String, csrf: String, setCookie: String) {
        let response = try await client.execute(
            uri: "/api/v1/sign-in", method: .post, headers: [.contentType: "application/json"],
            body: jsonBody(["username": name, "password": password ?? ServerFixture.password(name)]))
        #expect(response.status == .ok, "\(response.text)")
        let setCookie = response.headers[.setCookie] ?? ""
        let pair = setCookie.split(separator: ";").first.map(String.init) ?? ""
        return (pair, response.object["csrfToken"] as? String ?? "", setCookie)
    }

    @Test func healthzAnswersWhenTheDatabaseDoes() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.text == "ok\n")
            #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
        }
        #expect(district.logLines.withLock { $0 }.contains { $0.hasPrefix("GET /healthz 200 ") && $0.hasSuffix("ms -") })
    }

    @Test func aRightPasswordSetsAStrictHttpOnlyCookieAndMeSaysWhoAndTheCSRFToken() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let (cookie, csrf, setCookie) = try await Self.signIn(client, "off2")
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(!setCookie.contains("Secure"), "no --public-url https: the cookie must work over plain http on loopback")
            #expect(csrf.count == 64)
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookie])
            #expect(me.status == .ok)
            #expect(me.object["username"] as? String == "off2")
            #expect(me.object["role"] as? String == "officer")
            #expect(me.object["schools"] as? [String] == ["0202"])
            #expect(me.object["officer"] as? String == "ofc-101")
            #expect(me.object["csrfToken"] as? String == csrf)
        }
        // The account is in the log line of what it asked
        #expect(district.logLines.withLock { $0 }.contains { $0.hasPrefix("GET /api/v1/me 200 ") && $0.hasSuffix(" off2") })
    }

    @Test func anHTTPSPublicURLMakesTheCookieSecure() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test(publicURL: "https://bridges.example.org") { client in
            let (_, _, setCookie) = try await Self.signIn(client, "dist")
            #expect(setCookie.contains("Secure"))
        }
    }

    @Test func aWrongPasswordAndAnUnknownNameGetTheSame401Problem() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            var details: [String] = []
            for name in ["off2", "nobody"] {
                let response = try await client.execute(
                    uri: "/api/v1/sign-in", method: .post, body: jsonBody(["username": name, "password": "not-the-password"]))
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.setCookie] == nil)
                #expect(response.object["status"] as? Int == 401)
                details.append(response.object["detail"] as? String ?? "")
            }
            #expect(details[0] == details[1])
        }
    }

    @Test func withoutSignInTheAPIAnswers401() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            for uri in ["/api/v1/me", "/api/v1/classes", "/api/v1/lessons", "/api/v1/sessions", "/api/v1/classes/8A/students", "/api/v1/sessions/1"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .unauthorized, "\(uri)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
            }
            let forged = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "bridges_session=" + String(repeating: "a", count: 64)])
            #expect(forged.status == .unauthorized)
        }
    }

    @Test func aCookieWriteWithoutTheCSRFTokenIsRefusedAndWritesNothing() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let (cookie, csrf, _) = try await Self.signIn(client, "off2")
            let body: [String: Any] = ["lesson": "fa-scene-safety", "class": "8A", "date": "2025-09-08", "marks": ["1001": "present", "1002": "present", "1003": "late", "1004": "absent"]]
            for sent in [nil, "wrong"] as [String?] {
                var headers: HTTPFields = [.cookie: cookie, .idempotencyKey: "k-1"]
                if let sent { headers[.csrf] = sent }
                let refused = try await client.execute(uri: "/api/v1/sessions", method: .post, headers: headers, body: jsonBody(body))
                #expect(refused.status == .forbidden, "\(refused.text)")
                #expect((refused.object["detail"] as? String)?.contains("X-CSRF-Token") == true)
            }
            let listed = try await client.execute(uri: "/api/v1/sessions", method: .get, headers: [.cookie: cookie])
            #expect(listed.array.isEmpty)
            let accepted = try await client.execute(
                uri: "/api/v1/sessions", method: .post, headers: [.cookie: cookie, .csrf: csrf, .idempotencyKey: "k-1"], body: jsonBody(body))
            #expect(accepted.status == .created, "\(accepted.text)")
        }
    }

    @Test func signOutEndsTheSignIn() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let (cookie, csrf, _) = try await Self.signIn(client, "sadm")
            let out = try await client.execute(uri: "/api/v1/sign-out", method: .post, headers: [.cookie: cookie, .csrf: csrf])
            #expect(out.status == .noContent)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookie])
            #expect(me.status == .unauthorized)
        }
    }

    @Test func aBearerTokenSignsInWithoutCSRFAndABadOneIs401() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: district.bearer("aud"))
            #expect(me.status == .ok)
            #expect(me.object["role"] as? String == "auditor")
            #expect(me.object["csrfToken"] is NSNull)
            let bad = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer bridges_0123"])
            #expect(bad.status == .unauthorized)
        }
        // A revoked token and a disabled account's token no longer work
        let tokens = try await district.records.apiTokens(account: "aud", caller: .local("admin"))
        _ = try await district.records.revokeAPIToken(id: tokens[0].id, caller: .local("admin"))
        _ = try await district.records.disableAccount(name: "off2", caller: .local("admin"))
        try await district.test { client in
            let revoked = try await client.execute(uri: "/api/v1/me", method: .get, headers: district.bearer("aud"))
            let disabled = try await client.execute(uri: "/api/v1/me", method: .get, headers: district.bearer("off2"))
            let other = try await client.execute(uri: "/api/v1/me", method: .get, headers: district.bearer("dist"))
            #expect(revoked.status == .unauthorized)
            #expect(disabled.status == .unauthorized)
            #expect(other.status == .ok)
        }
    }

    @Test func tenWrongPasswordsInARowLockTheAccountEvenForTheRightOne() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            for attempt in 1...10 {
                let response = try await client.execute(
                    uri: "/api/v1/sign-in", method: .post, body: jsonBody(["username": "off3", "password": "guess-\(attempt)"]))
                #expect(response.status == .unauthorized)
                if attempt == 10 { #expect((response.object["detail"] as? String)?.contains("locked until") == true) }
            }
            let right = try await client.execute(
                uri: "/api/v1/sign-in", method: .post, body: jsonBody(["username": "off3", "password": ServerFixture.password("off3")]))
            #expect(right.status == .unauthorized)
            #expect((right.object["detail"] as? String)?.contains("locked until") == true)
        }
        // The lock is in the audit trail, and fifteen minutes later the right password works again
        district.clock.set(Date().addingTimeInterval(15 * 60 + 5))
        guard case .signedIn = try await district.records.signIn(username: "off3", password: ServerFixture.password("off3")) else {
            Issue.record("the lock did not end after fifteen minutes")
            return
        }
    }

    @Test func nineWrongPasswordsThenTheRightOneStartTheCountAgain() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        for attempt in 1...9 { _ = try await district.records.signIn(username: "coord", password: "guess-\(attempt)") }
        guard case .signedIn = try await district.records.signIn(username: "coord", password: ServerFixture.password("coord")) else {
            Issue.record("nine wrong passwords locked the account")
            return
        }
        for attempt in 1...9 { _ = try await district.records.signIn(username: "coord", password: "guess-\(attempt)") }
        guard case .signedIn = try await district.records.signIn(username: "coord", password: ServerFixture.password("coord")) else {
            Issue.record("the count did not start again after a right password")
            return
        }
    }
}
