// swift-tools-version:6.1
// libFuzzer targets for Bridges' readers of untrusted files. A package of its own so that the main
// package's `swift build` / `swift test` never see it: its targets compile the library sources
// through the symlinks in Modules/ (BridgesCore, BridgesSystem, BridgesXML, BridgesCSV and their C modules), so
// nothing here needs GRDB or ArgumentParser. Build and run with Fuzz/run.sh.
import PackageDescription

let package = Package(
    name: "BridgesFuzz",
    products: [
        .executable(name: "fuzz-lesson-plan", targets: ["FuzzLessonPlan"]),
        .executable(name: "fuzz-csv", targets: ["FuzzCSV"]),
    ],
    targets: [
        // The main package's targets, compiled from its own files: Modules/* are symlinks to
        // ../Sources/*. schema.c's #embed "../../Curricula/lesson-plan.xsd" still resolves, as
        // clang takes it relative to the real Sources/CLessonPlanSchema (schema.c.d lists it there).
        .systemLibrary(name: "CLibXML2", path: "Modules/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "CLessonPlanSchema", path: "Modules/CLessonPlanSchema", cSettings: [.headerSearchPath("include")]),
        .target(name: "BridgesCore", path: "Modules/BridgesCore"),
        .target(name: "BridgesSystem", path: "Modules/BridgesSystem"),
        .target(name: "BridgesXML", dependencies: ["BridgesCore", "BridgesSystem", "CLibXML2", "CLessonPlanSchema"], path: "Modules/BridgesXML"),
        .target(name: "BridgesCSV", dependencies: ["BridgesCore", "BridgesSystem"], path: "Modules/BridgesCSV"),

        // Declares libFuzzer's LLVMFuzzerRunDriver for Swift.
        .target(name: "CFuzzDriver"),
        .executableTarget(name: "FuzzLessonPlan", dependencies: ["BridgesXML", "BridgesCore", "CFuzzDriver"]),
        .executableTarget(name: "FuzzCSV", dependencies: ["BridgesCSV", "BridgesCore", "CFuzzDriver"]),
    ],
    cLanguageStandard: .c2x
)
