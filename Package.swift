// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Bridges",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bridges", targets: ["BridgesCLI"]),
        .library(name: "BridgesKit", targets: ["BridgesKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // ES256 signatures of Open Badges credentials (issue 14); only BridgesSigning imports it.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // `bridges serve` (issue 12): the HTTP server (only BridgesServer imports it) and bcrypt (Kit, for accounts).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        // The PostgreSQL store (issue 13): the wire protocol on SwiftNIO; only BridgesPostgres imports it.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The system libxml2; only BridgesXML imports it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The system zlib, for the deflated entries of a OneRoster .zip; only BridgesKit imports it.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Curricula/lesson-plan.xsd compiled into the binary with C23 #embed, so the program
        // validates with the very file that ships for authors' editors.
        .target(
            name: "CLessonPlanSchema",
            cSettings: [.headerSearchPath("include")]
        ),
        // Values and rules only: no system call, no thread.
        .target(name: "BridgesCore"),
        // Every raw POSIX call below the command line (with its EINTR loop), `PrivateFile`, and the
        // one producer/consumer pipe; Foundation and Glibc only.
        .target(name: "BridgesSystem"),
        .target(name: "BridgesXML", dependencies: ["BridgesCore", "BridgesSystem", "CLibXML2", "CLessonPlanSchema"]),
        .target(name: "BridgesCSV", dependencies: ["BridgesCore", "BridgesSystem"]),
        // The store contract: what Kit asks of a database, in the school's words, with its request
        // and row types and one backend-neutral error. No SQL here; each store implements it.
        .target(name: "BridgesStore", dependencies: ["BridgesCore"]),
        // The embedded SQLite store (GRDB): schema, migrations, bulk paths, the file's own care.
        .target(
            name: "BridgesSQLite",
            // GRDBSQLite: the SQLite C API, for the few per-row statements that bulk imports run
            // on statements GRDB prepares.
            dependencies: ["BridgesCore", "BridgesStore", "BridgesSystem", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        // The PostgreSQL store: the same contract on a database server (postgres-nio, no ORM between),
        // its own migrations, a district's several processes writing at once.
        .target(
            name: "BridgesPostgres",
            dependencies: ["BridgesCore", "BridgesStore", "BridgesSystem", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")]
        ),
        // The issuer's P-256 key and ES256 JSON Web Signatures; the one target that imports Crypto.
        .target(name: "BridgesSigning", dependencies: ["BridgesCore", .product(name: "Crypto", package: "swift-crypto")]),
        // The one .zip reader (OneRoster exports) and gzip (status lists), on the system zlib.
        .target(name: "BridgesArchives", dependencies: ["BridgesCore", "BridgesSystem", "CZlib"]),
        .target(
            name: "BridgesKit",
            dependencies: [
                "BridgesCore", "BridgesSystem", "BridgesXML", "BridgesCSV", "BridgesStore", "BridgesSigning", "BridgesArchives",
                // bcrypt for the accounts' passwords (a small C library, no server in it).
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        // `bridges serve`: routes, pages and accounts' sign-in over Kit; never SQL, never a database path.
        .target(
            name: "BridgesServer",
            dependencies: [
                "BridgesKit", "BridgesCore", "BridgesSystem",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "BridgesCLI",
            dependencies: ["BridgesKit", "BridgesSQLite", "BridgesPostgres", "BridgesSystem", "BridgesServer", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "BridgesCoreTests", dependencies: ["BridgesCore"]),
        .testTarget(name: "BridgesSystemTests", dependencies: ["BridgesSystem"]),
        .testTarget(name: "BridgesXMLTests", dependencies: ["BridgesXML"]),
        .testTarget(name: "BridgesCSVTests", dependencies: ["BridgesCSV"]),
        .testTarget(name: "BridgesSQLiteTests", dependencies: ["BridgesSQLite", "BridgesStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "BridgesPostgresTests", dependencies: ["BridgesPostgres", "BridgesStore", "BridgesCore", .product(name: "PostgresNIO", package: "postgres-nio")]),
        .testTarget(name: "BridgesSigningTests", dependencies: ["BridgesSigning", .product(name: "Crypto", package: "swift-crypto")]),
        // What several test targets share (a fixture built once); no production code depends on it.
        .target(name: "BridgesTestSupport", dependencies: ["BridgesKit", "BridgesCore"], path: "Tests/Support"),
        .testTarget(name: "BridgesKitTests", dependencies: ["BridgesKit", "BridgesSQLite", "BridgesPostgres", "BridgesArchives", "BridgesSystem", "BridgesTestSupport"]),
        .testTarget(
            name: "BridgesServerTests",
            dependencies: ["BridgesServer", "BridgesKit", "BridgesSQLite", "BridgesTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        // BridgesPostgres and PostgresNIO: the PostgreSQL fault tests look at the server beside the
        // running command (its writer's backend, the writers' lock) and cut its connection.
        .testTarget(
            name: "BridgesCLITests",
            dependencies: [
                "BridgesKit", "BridgesSQLite", "BridgesPostgres", "BridgesSigning", "BridgesTestSupport",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
    ],
    cLanguageStandard: .c2x
)
