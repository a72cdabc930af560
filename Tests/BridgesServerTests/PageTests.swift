@testable import BridgesKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The pages for people (server.md, "The pages"): sign-in, classes, the attendance page, and the
/// public verification page, each self-contained under a strict Content-Security-Policy.
@Suite("server pages", .timeLimit(.minutes(3)))
struct PageTests {
    /// Signs in through the form; the cookie to send back.
    static func signIn(_ client: any TestClientProtocol, _ name: String) async throws -> String {
        let response = try await client.execute(
            uri: "/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "username=\(name)&password=\(ServerFixture.password(name))"))
        #expect(response.status == .seeOther)
        #expect(response.headers[.location] == "/classes")
        return (response.headers[.setCookie] ?? "").split(separator: ";").first.map(String.init) ?? ""
    }

    @Test func theSignInPageIsAFormWithLabelsAndAStrictPolicy() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let page = try await client.execute(uri: "/sign-in", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = page.headers[.contentSecurityPolicy] ?? ""
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'") && !policy.contains("unsafe"))
            #expect(page.text.contains("<label for=\"username\">") && page.text.contains("<label for=\"password\">"))
            #expect(page.text.contains("name=\"viewport\" content=\"width=device-width"))
            #expect(!page.text.contains("http://") && !page.text.contains("https://"), "a page loads nothing from elsewhere")
            let wrong = try await client.execute(
                uri: "/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=off2&password=nope"))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("The user name or password is wrong."))
            #expect(wrong.headers[.setCookie] == nil)
        }
    }

    @Test func signedOutPagesSendToSignInAndTheClassesPageListsTheOfficersClasses() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let anonymous = try await client.execute(uri: "/classes", method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/sign-in")
            let cookie = try await Self.signIn(client, "off2")
            let page = try await client.execute(uri: "/classes", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok)
            #expect(page.text.contains("href=\"/classes/8A/attendance\""))
            #expect(page.text.contains("href=\"/classes/8B/attendance\""))
            #expect(!page.text.contains("9H"))
            #expect(page.text.contains("<meta name=\"csrf-token\""))
        }
    }

    @Test func theAttendancePageHasEveryStudentPresentAndOneTapForEachOtherStatus() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let cookie = try await Self.signIn(client, "off2")
            let page = try await client.execute(uri: "/classes/8A/attendance", method: .get, headers: [.cookie: cookie])
            #expect(page.status == .ok, "\(page.text)")
            let html = page.text
            // Named as the officer knows the class, with its id and school beside
            #expect(html.contains("<title>Attendance: Grade 8 Health A · Bridges</title>"))
            #expect(html.contains("<h1>Attendance: Grade 8 Health A</h1>"))
            #expect(html.contains("Class 8A, school 0202"))
            for name in ["Amara Okafor", "Li Wei", "José García", "Sam Lee"] {
                #expect(html.contains("<legend>\(name)</legend>"), "\(name)")
            }
            #expect(html.components(separatedBy: "value=\"present\" checked").count - 1 == 4)
            for status in ["late", "absent", "excused"] {
                #expect(html.components(separatedBy: "value=\"\(status)\">").count - 1 == 4)
            }
            #expect(html.contains("<button type=\"submit\">Save</button>"))
            #expect(html.contains("id=\"queue\" aria-live=\"polite\""))
            #expect(html.contains("<script src=\"/assets/bridges.js\" defer></script>"))
            // The script keeps the queue in localStorage and sends the key it was saved with
            let script = try await client.execute(uri: "/assets/bridges.js", method: .get)
            #expect(script.text.contains("localStorage") && script.text.contains("\"Idempotency-Key\": item.key"))
            #expect(script.text.contains("addEventListener(\"online\", flush)"))
            // Once saved, the roll goes back to present and the lesson moves on (checked in a browser by Tests/Browser)
            #expect(script.text.contains("fieldset.student input[value=present]"))
            // Another school's class is not there
            let other = try await client.execute(uri: "/classes/9H/attendance", method: .get, headers: [.cookie: cookie])
            #expect(other.status == .notFound)
        }
    }

    @Test func theNextLessonOfferedIsOfTheProgramTheClassIsBeingTaught() async throws {
        // Given a second program loaded whose lessons list first (conflict-resolution before
        // first-aid), and a class that has had the first lesson of first-aid
        let district = try await ServerFixture()
        defer { district.remove() }
        _ = try await district.records.loadLessonPlans(
            paths: [ServerFixture.repositoryRoot.appendingPathComponent("Tests/Fixtures/FirstEditionCurricula/conflict-resolution").path],
            caller: .local("coordinator"), processors: 2)
        let firstAid = try await district.records.lessonListing(programID: "first-aid")
        let other = try await district.records.lessonListing(programID: "conflict-resolution")
        try #require(firstAid.count >= 2 && !other.isEmpty)
        _ = try await district.records.logSession(
            lessonID: firstAid[0].lessonID, classID: "8A", officerID: "ofc-101", date: "2025-09-08", minutes: nil,
            present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("off2"))
        try await district.test { client in
            let cookie = try await Self.signIn(client, "off2")
            // Then the page offers first-aid's next lesson, not another program's first
            let page = try await client.execute(uri: "/classes/8A/attendance", method: .get, headers: [.cookie: cookie])
            #expect(page.text.contains("<option value=\"\(firstAid[1].lessonID)\" selected>"), "\(page.text)")
            // And a class with no sessions yet is offered the first lesson listed, of any program
            let fresh = try await client.execute(uri: "/classes/8B/attendance", method: .get, headers: [.cookie: cookie])
            #expect(fresh.text.contains(" selected>"))
        }
    }

    @Test func theAttendancePageOffersTheNextLessonTheClassHasNotHad() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        let lessons = try await district.records.lessonListing(programID: "first-aid")
        try #require(lessons.count >= 2)
        _ = try await district.records.logSession(
            lessonID: lessons[0].lessonID, classID: "8A", officerID: "ofc-101", date: "2025-09-08", minutes: nil,
            present: [], late: [], absent: [], excused: [], others: .present, sheet: nil, note: nil, caller: .local("off2"))
        try await district.test { client in
            let cookie = try await Self.signIn(client, "off2")
            let page = try await client.execute(uri: "/classes/8A/attendance", method: .get, headers: [.cookie: cookie])
            #expect(page.text.contains("<option value=\"\(lessons[1].lessonID)\" selected>"), "\(page.text)")
        }
    }

    @Test func verifyingAnUnknownOrMistypedCodeSaysSoAndVerifyIsRateLimited() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let form = try await client.execute(uri: "/verify", method: .get)
            #expect(form.status == .ok)
            #expect(form.text.contains("<label for=\"code\">"))
            let unknown = try await client.execute(uri: "/verify/7K3Q-M9XD-2HFA-8PQR", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.text.contains("No certificate has the code"))
            let mistyped = try await client.execute(uri: "/verify?code=hello", method: .get)
            #expect(mistyped.status == .badRequest)
            #expect(mistyped.text.contains("is not a certificate code"))
            // 30 a minute from one address (the fixture's clock stands still): the 31st is refused.
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<30 { statuses.append(try await client.execute(uri: "/verify", method: .get).status) }
            #expect(statuses.prefix(27).allSatisfy { $0 == .ok })
            #expect(statuses.suffix(3).allSatisfy { $0 == .tooManyRequests })
            let refused = try await client.execute(uri: "/verify", method: .get)
            #expect(refused.headers[.retryAfter] == "2")
        }
    }
}
