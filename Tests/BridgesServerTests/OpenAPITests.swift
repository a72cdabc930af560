@testable import BridgesServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The OpenAPI 3.1 document (server.md: "served at /api/v1/openapi.json and kept in the
/// repository; the tests check the server against it"): the served document, the repository's
/// copy, the routes against the paths, and real answers against the operations. Tests/API/run.sh
/// runs schemathesis against a running server in CI besides.
@Suite("server OpenAPI document", .timeLimit(.minutes(3)))
struct OpenAPITests {
    /// Parsed once and never changed after.
    nonisolated(unsafe) static let document: [String: Any] = {
        let data = Data(OpenAPIDocument.served.utf8)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }()

    static var paths: [String: [String: Any]] { document["paths"] as? [String: [String: Any]] ?? [:] }

    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Every operation of the document as "METHOD /path".
    static var operations: Set<String> {
        Set(paths.flatMap { path, item in item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" } })
    }

    @Test func theServedDocumentIsOpenAPI31JSONAndPublic() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let parsed = try #require(response.json as? [String: Any], "the served document is not a JSON object")
            let version = try #require(parsed["openapi"] as? String)
            #expect(version.hasPrefix("3.1."), "openapi is \(version)")
            #expect(response.text == OpenAPIDocument.served)
        }
    }

    @Test func theRepositorysCopyIsTheServedDocumentByteForByte() throws {
        let file = ServerFixture.repositoryRoot.appendingPathComponent("docs/openapi.json")
        let copy = try Data(contentsOf: file)
        #expect(copy == Data(OpenAPIDocument.served.utf8), ##"""
            docs/openapi.json is not the document the server serves (Sources/BridgesServer/OpenAPIDocument.swift, the one \
            source). Copy it again from the repository's root with:
            sed -e '1,/^    static let json = #"""$/d' -e '/^"""#$/,$d' Sources/BridgesServer/OpenAPIDocument.swift > docs/openapi.json
            """##)
    }

    @Test func everyReferenceInTheDocumentLeadsSomewhere() {
        var missing: [String] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["$ref"] as? String, Self.resolve(reference) == nil { missing.append(reference) }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(Self.document)
        #expect(missing.isEmpty, "unresolved: \(missing)")
        #expect(!Self.operations.isEmpty)
    }

    /// Every route the server registers under /api/v1 (and /healthz) is an operation of the
    /// document, and every operation of the document is a route.
    @Test func theRoutesAreTheDocumentsOperations() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        let routes = Set(district.server().router.routes
            .filter { $0.path.description.hasPrefix("/api/v1/") || $0.path.description == "/healthz" }
            .map { "\($0.method.rawValue) \($0.path.description)" })
        #expect(routes.count >= 18, "\(routes.sorted())")
        #expect(routes.subtracting(Self.operations).isEmpty, "routes missing from the document: \(routes.subtracting(Self.operations).sorted())")
        #expect(Self.operations.subtracting(routes).isEmpty, "operations the server has no route for: \(Self.operations.subtracting(routes).sorted())")
    }

    /// Every operation of the document answers something other than 404 for a district admin
    /// with ids that exist (a body it cannot use is a 400: the route is there).
    @Test func everyDocumentedOperationIsAnsweredForADistrictAdmin() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let logged = try await APITests.post(client, district, as: "off2", key: "openapi", APITests.session8A)
            let session = try #require(logged.object["id"] as? Int)
            for operation in Self.operations.sorted() {
                let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
                let method = HTTPRequest.Method(parts[0])!
                let template = parts[1]
                let uri = template
                    .replacingOccurrences(of: "/classes/{id}", with: "/classes/8A")
                    .replacingOccurrences(of: "/sessions/{id}", with: "/sessions/\(session)")
                    .replacingOccurrences(of: "{report}", with: "attendance")
                #expect(!uri.contains("{"), "\(operation) has a parameter this test does not fill")
                var headers = district.bearer("dist")
                var body = ByteBuffer()
                if method == .post {
                    headers[.idempotencyKey] = "openapi-\(template)"
                    switch template {
                    case "/api/v1/rosters": headers[.contentType] = "text/csv"; body = ByteBuffer(string: ServerFixture.roster)
                    case "/api/v1/lesson-plans": headers[.contentType] = "application/xml"; body = ByteBuffer(string: "<lesson/>")
                    default: headers[.contentType] = "application/json"; body = ByteBuffer(string: "{}")
                    }
                }
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
                #expect(response.status != .notFound, "\(operation) as \(uri): \(response.text)")
                #expect(response.status.code < 500, "\(operation) as \(uri): \(response.text)")
                #expect(Self.conformance(of: response, to: method, template) == [], "\(operation) as \(uri)")
            }
        }
    }

    /// Real requests of the other tests' kinds: each answer's status, content type, required
    /// headers and body are among those the document lists for its operation.
    @Test func realAnswersAreAmongThoseTheDocumentLists() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            var seen: [(String, TestResponse)] = []
            func check(_ method: HTTPRequest.Method, _ template: String, _ uri: String, as name: String? = "dist",
                       headers extra: HTTPFields = [:], body: ByteBuffer = ByteBuffer()) async throws -> TestResponse {
                var headers = name.map(district.bearer) ?? [:]
                for field in extra { headers[field.name] = field.value }
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
                #expect(Self.conformance(of: response, to: method, template) == [], "\(method) \(uri)")
                seen.append(("\(method) \(template)", response))
                return response
            }
            let json: HTTPFields = [.contentType: "application/json"]
            _ = try await check(.get, "/healthz", "/healthz", as: nil)
            _ = try await check(.get, "/api/v1/me", "/api/v1/me")
            _ = try await check(.get, "/api/v1/classes", "/api/v1/classes", as: "off2")
            _ = try await check(.get, "/api/v1/classes", "/api/v1/classes", as: nil)
            _ = try await check(.get, "/api/v1/classes", "/api/v1/classes", as: nil, headers: [.authorization: "Bearer not-a-token"])
            _ = try await check(.get, "/api/v1/classes/{id}/students", "/api/v1/classes/8A/students", as: "off2")
            _ = try await check(.get, "/api/v1/classes/{id}/students", "/api/v1/classes/9H/students", as: "off2")
            _ = try await check(.get, "/api/v1/lessons", "/api/v1/lessons?program=first-aid", as: "coord")
            _ = try await check(.get, "/api/v1/lessons", "/api/v1/lessons?program=no-such", as: "coord")

            let sessionBody = jsonBody(APITests.session8A)
            let logged = try await check(.post, "/api/v1/sessions", "/api/v1/sessions", as: "off2", headers: json.merging([.idempotencyKey: "k1"]), body: sessionBody)
            #expect(logged.status == .created)
            let id = try #require(logged.object["id"] as? Int)
            _ = try await check(.post, "/api/v1/sessions", "/api/v1/sessions", as: "off2", headers: json.merging([.idempotencyKey: "k1"]), body: sessionBody)
            var other = APITests.session8A
            other["date"] = "2025-09-09"
            _ = try await check(.post, "/api/v1/sessions", "/api/v1/sessions", as: "off2", headers: json.merging([.idempotencyKey: "k1"]), body: jsonBody(other))
            _ = try await check(.post, "/api/v1/sessions", "/api/v1/sessions", as: "off2", headers: json.merging([.idempotencyKey: "k2"]), body: sessionBody)
            _ = try await check(.post, "/api/v1/sessions", "/api/v1/sessions", as: "off2", headers: json, body: sessionBody)
            _ = try await check(.get, "/api/v1/sessions", "/api/v1/sessions?class=8A&from=2025-09-01", as: "off2")
            _ = try await check(.get, "/api/v1/sessions/{id}", "/api/v1/sessions/\(id)", as: "off2")
            _ = try await check(.post, "/api/v1/sessions/{id}/amendments", "/api/v1/sessions/\(id)/amendments", as: "off2", headers: json,
                                body: jsonBody(["student": "1003", "status": "late", "reason": "arrived during the lesson"]))
            _ = try await check(.post, "/api/v1/sessions/{id}/void", "/api/v1/sessions/\(id)/void", as: "coord", headers: json, body: jsonBody(["reason": "wrong"]))
            _ = try await check(.get, "/api/v1/reports/{report}", "/api/v1/reports/attendance?purpose=audit", as: "dist")
            _ = try await check(.get, "/api/v1/reports/{report}", "/api/v1/reports/attendance", as: "dist")
            _ = try await check(.get, "/api/v1/reports/{report}", "/api/v1/reports/nothing", as: "dist")
            _ = try await check(.post, "/api/v1/rosters", "/api/v1/rosters?dry-run=true", as: "dist",
                                headers: [.contentType: "text/csv"], body: ByteBuffer(string: ServerFixture.roster))
            _ = try await check(.post, "/api/v1/rosters", "/api/v1/rosters", as: "dist",
                                headers: [.contentType: "text/plain"], body: ByteBuffer(string: ServerFixture.roster))
            _ = try await check(.post, "/api/v1/certificates/issue", "/api/v1/certificates/issue", as: "off2", headers: json, body: jsonBody([:]))

            let signedIn = try await check(.post, "/api/v1/sign-in", "/api/v1/sign-in", as: nil, headers: json,
                                           body: jsonBody(["username": "sadm", "password": ServerFixture.password("sadm")]))
            let cookie = signedIn.headers[.setCookie]?.split(separator: ";").first.map(String.init) ?? ""
            let csrf = signedIn.object["csrfToken"] as? String ?? ""
            _ = try await check(.post, "/api/v1/sign-out", "/api/v1/sign-out", as: nil, headers: [.cookie: cookie])
            _ = try await check(.post, "/api/v1/sign-out", "/api/v1/sign-out", as: nil, headers: [.cookie: cookie, .csrf: csrf])

            // The statuses this test meant to reach, so that a change of the fixture cannot empty it.
            let reached = Set(seen.map { "\($0.0) \($0.1.status.code)" })
            for expected in [
                "GET /healthz 200", "GET /api/v1/classes 200", "GET /api/v1/classes 401", "GET /api/v1/classes/{id}/students 404",
                "GET /api/v1/lessons 404", "POST /api/v1/sessions 201", "POST /api/v1/sessions 200", "POST /api/v1/sessions 422",
                "POST /api/v1/sessions 409", "POST /api/v1/sessions 400", "GET /api/v1/sessions/{id} 200",
                "POST /api/v1/sessions/{id}/amendments 200", "POST /api/v1/sessions/{id}/void 403", "GET /api/v1/reports/{report} 200",
                "GET /api/v1/reports/{report} 400", "GET /api/v1/reports/{report} 404", "POST /api/v1/rosters 200",
                "POST /api/v1/rosters 415", "POST /api/v1/certificates/issue 403", "POST /api/v1/sign-in 200",
                "POST /api/v1/sign-out 403", "POST /api/v1/sign-out 204",
            ] {
                #expect(reached.contains(expected), "\(expected) was not reached: \(reached.sorted())")
            }
        }
    }

    /// The conformance check finds what it must: a status, a content type, a missing member or a
    /// missing required header that the document does not allow.
    @Test func theConformanceCheckRefusesWhatTheDocumentDoesNotList() async throws {
        let district = try await ServerFixture()
        defer { district.remove() }
        try await district.test { client in
            let classes = try await client.execute(uri: "/api/v1/classes", method: .get, headers: district.bearer("dist"))
            #expect(Self.conformance(of: classes, to: .get, "/api/v1/classes") == [])
            // The same answer held to another operation's promises
            #expect(!Self.conformance(of: classes, to: .get, "/api/v1/me").isEmpty)
            #expect(!Self.conformance(of: classes, to: .post, "/api/v1/sessions").isEmpty)
            let report = try await client.execute(uri: "/api/v1/reports/summary?purpose=audit", method: .get, headers: district.bearer("dist"))
            #expect(report.status == .ok)
            #expect(!Self.conformance(of: report, to: .get, "/api/v1/classes").isEmpty)
        }
        func check(_ body: String, _ schema: String) -> [String] {
            Self.problems(in: Array(body.utf8), against: ["$ref": "#/components/schemas/\(schema)"])
        }
        #expect(!check(#"{"id":"8A"}"#, "Class").isEmpty)
        #expect(!check(#"{"username":"x","role":"janitor","schools":[],"officer":null,"csrfToken":null}"#, "Me").isEmpty)
        #expect(check(#"{"username":"x","role":"auditor","schools":[],"officer":null,"csrfToken":null}"#, "Me") == [])
        #expect(!check(#"{"session":1,"voided":1}"#, "VoidResult").isEmpty)
        #expect(check(#"{"session":1,"voided":true}"#, "VoidResult") == [])
        #expect(!check(#"{"id":"8A","name":"A","schoolId":"0202","students":2.5}"#, "Class").isEmpty)
    }

    // MARK: Reading the document

    /// The object a local `$ref` names.
    static func resolve(_ reference: String) -> [String: Any]? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = document
        for part in reference.dropFirst(2).split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = (node as? [String: Any])?[key] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    static func dereferenced(_ object: [String: Any]) -> [String: Any] {
        if let reference = object["$ref"] as? String, let target = resolve(reference) { return dereferenced(target) }
        return object
    }

    /// What in `response` the document does not allow for `method template`: an empty list when
    /// its status, media type, required headers and body are among the operation's.
    static func conformance(of response: TestResponse, to method: HTTPRequest.Method, _ template: String) -> [String] {
        guard let operation = paths[template]?[method.rawValue.lowercased()] as? [String: Any] else {
            return ["the document has no \(method) \(template)"]
        }
        let responses = operation["responses"] as? [String: Any] ?? [:]
        guard let declared = (responses[String(response.status.code)] ?? responses["default"]) as? [String: Any] else {
            return ["status \(response.status.code) is not among \(responses.keys.sorted())"]
        }
        let listed = dereferenced(declared)
        var problems: [String] = []
        for (name, header) in listed["headers"] as? [String: Any] ?? [:] {
            let header = dereferenced(header as? [String: Any] ?? [:])
            if header["required"] as? Bool == true, response.headers[HTTPField.Name(name)!] == nil {
                problems.append("the required header \(name) is missing")
            }
        }
        let content = listed["content"] as? [String: Any] ?? [:]
        guard let type = response.headers[.contentType] else {
            if !content.isEmpty || response.body.readableBytes > 0 { problems.append("no Content-Type, where the document lists \(content.keys.sorted())") }
            return problems
        }
        let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let entry = content[media] as? [String: Any] else {
            return problems + ["Content-Type \(type) is not among \(content.keys.sorted())"]
        }
        if media.hasSuffix("json"), let schema = entry["schema"] as? [String: Any] {
            problems += Self.problems(in: Array(response.body.readableBytesView), against: schema)
        }
        return problems
    }

    /// Where `value` breaks `schema`: the parts of JSON Schema the document uses ($ref, type,
    /// required, properties, additionalProperties, items, enum, const, minimum, minLength).
    static func problems(in value: JSONValue, against schema: [String: Any], at path: String) -> [String] {
        let schema = dereferenced(schema)
        var problems: [String] = []
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }), !types.contains(where: value.isOfType) {
            return ["\(path) is not \(types.joined(separator: " or ")): \(value)"]
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: value.equals) {
            problems.append("\(path) \(value) is not one of \(allowed)")
        }
        if let constant = schema["const"], !value.equals(constant) { problems.append("\(path) is not \(constant)") }
        if let minimum = (schema["minimum"] as? NSNumber)?.doubleValue, case .number(let number) = value, number < minimum {
            problems.append("\(path) is below \(minimum)")
        }
        if let minLength = (schema["minLength"] as? NSNumber)?.intValue, case .string(let text) = value, text.count < minLength {
            problems.append("\(path) is shorter than \(minLength)")
        }
        if case .object(let object) = value {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path).\(key) is required")
            }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for (key, member) in object {
                if let property = properties[key] {
                    problems += Self.problems(in: member, against: property, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    problems += Self.problems(in: member, against: additional, at: "\(path).\(key)")
                }
            }
        }
        if case .array(let array) = value, let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() { problems += Self.problems(in: item, against: items, at: "\(path)[\(index)]") }
        }
        return problems
    }

    /// `problems(in:against:at:)` of a body's bytes.
    static func problems(in body: [UInt8], against schema: [String: Any]) -> [String] {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) else {
            return ["the body is not JSON: \(String(decoding: body.prefix(200), as: UTF8.self))"]
        }
        return problems(in: value, against: schema, at: "$")
    }
}
