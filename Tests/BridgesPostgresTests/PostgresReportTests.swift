import BridgesCore
import BridgesStore
import Foundation
import PostgresNIO
import Testing
@testable import BridgesPostgres

@Suite("PostgreSQL reports", .enabled(if: PostgresTestServer.url != nil, "BRIDGES_TEST_POSTGRES names no PostgreSQL database"))
struct PostgresReportTests {
    /// The attendance report turns JIT off for its own transaction only (`SET LOCAL`): the pooled
    /// connection it ran on goes back to the server's setting for whatever runs next.
    @Test func theAttendanceReportsSettingEndsWithItsTransaction() async throws {
        var url = PostgresTestServer.url!
        url.schema = "report_test_\(UInt32.random(in: 0...UInt32.max))"
        let store = try await PostgresLocation(url: url, maximumConnections: 1).open(.write)
        let postgres = try #require(store as? PostgresStore)
        let jit = { try await postgres.read { connection in try await connection.value("SELECT current_setting('jit')", as: String.self) } }
        // Given the one pooled connection's session setting is on, whatever the server's default
        try await postgres.read { connection in try await connection.run("SET SESSION jit = on") }
        #expect(try await jit() == "on")
        // When the report runs on it
        var rows = 0
        try await postgres.attendanceReport(ReportFilter()) { _ in rows += 1 }
        #expect(rows == 0)
        // Then the next read on that connection has it on again
        #expect(try await jit() == "on")
        try await store.close()
    }
}
