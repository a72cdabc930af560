/// A value built once, the first time a test asks, by async work (a fixture database made through
/// Kit); later tests share it. One copy for every test target (BridgesTestSupport).
public actor OnceBuilt<Value: Sendable> {
    private let build: @Sendable () async throws -> Value
    private var building: Task<Value, any Error>?

    public init(_ build: @escaping @Sendable () async throws -> Value) {
        self.build = build
    }

    public func value() async throws -> Value {
        if let building { return try await building.value }
        let task = Task { try await build() }
        building = task
        return try await task.value
    }
}
