@testable import BridgesServer
import Foundation
import Testing

/// The public verification page's limit per address: a bucket of 30 that refills one every two
/// seconds, with the clock handed in so no test depends on when it runs.
@Suite("verify rate limit")
struct VerifyRateLimitTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func thirtyPassThenTheNextIsRefusedUntilABucketRefills() throws {
        let limit = VerifyRateLimit(limit: 30, clock: { Date(timeIntervalSince1970: 0) })
        for _ in 0..<30 { try limit.check("10.0.0.1", now: start) }
        #expect(throws: Problem.self) { try limit.check("10.0.0.1", now: start) }
        // Another address has its own bucket.
        try limit.check("10.0.0.2", now: start)
        // Two seconds later one more check is allowed, and only one.
        try limit.check("10.0.0.1", now: start + 2)
        #expect(throws: Problem.self) { try limit.check("10.0.0.1", now: start + 2) }
    }

    @Test func aBurstAcrossTheEdgeOfAMinuteGetsNoMoreThanTheLimit() throws {
        let limit = VerifyRateLimit(limit: 30, clock: { Date(timeIntervalSince1970: 0) })
        // 59.5 s into a minute, then 1 s later in the next: a window per calendar minute would let
        // 60 through; the bucket lets through 30 and what one second refills (none yet whole).
        let edge = Date(timeIntervalSince1970: 1_800_000_000 - 0.5)
        var passed = 0
        for i in 0..<60 {
            let now = i < 30 ? edge : edge + 1
            if (try? limit.check("10.0.0.1", now: now)) != nil { passed += 1 }
        }
        #expect(passed == 30)
    }

    @Test func aFullMinuteOfRestGivesTheWholeLimitBack() throws {
        let limit = VerifyRateLimit(limit: 30, clock: { Date(timeIntervalSince1970: 0) })
        for _ in 0..<30 { try limit.check(nil, now: start) }
        for _ in 0..<30 { try limit.check(nil, now: start + 60) }
        #expect(throws: Problem.self) { try limit.check(nil, now: start + 60) }
    }

    @Test func behindATrustedProxyEachVisitorIsCountedByTheAddressTheProxyAdded() throws {
        let settings = ServerSettings(trustedProxies: ["127.0.0.1"], clock: { Date(timeIntervalSince1970: 0) })
        // nginx's $proxy_add_x_forwarded_for appends the visitor's address last
        #expect(settings.clientAddress(peer: "127.0.0.1", forwardedFor: "198.51.100.7") == "198.51.100.7")
        #expect(settings.clientAddress(peer: "127.0.0.1", forwardedFor: "10.9.9.9, 198.51.100.7") == "198.51.100.7")
        // A visitor who reaches the server directly cannot name another address to dodge the limit
        #expect(settings.clientAddress(peer: "203.0.113.5", forwardedFor: "198.51.100.7") == "203.0.113.5")
        // The proxy itself, without the header, is its own address
        #expect(settings.clientAddress(peer: "127.0.0.1", forwardedFor: nil) == "127.0.0.1")
        #expect(settings.clientAddress(peer: "127.0.0.1", forwardedFor: " , ") == "127.0.0.1")
        // Without a trusted proxy the header means nothing
        let direct = ServerSettings(clock: { Date(timeIntervalSince1970: 0) })
        #expect(direct.clientAddress(peer: "127.0.0.1", forwardedFor: "198.51.100.7") == "127.0.0.1")

        // So two visitors behind one proxy have a bucket each
        let limit = VerifyRateLimit(limit: 30, clock: { Date(timeIntervalSince1970: 0) })
        for _ in 0..<30 { try limit.check(settings.clientAddress(peer: "127.0.0.1", forwardedFor: "198.51.100.7"), now: start) }
        #expect(throws: Problem.self) { try limit.check(settings.clientAddress(peer: "127.0.0.1", forwardedFor: "198.51.100.7"), now: start) }
        try limit.check(settings.clientAddress(peer: "127.0.0.1", forwardedFor: "198.51.100.8"), now: start)
    }
}
