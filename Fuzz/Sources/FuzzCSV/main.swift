// fuzz-csv: arbitrary bytes into CSVReader (in memory and from a file in small chunks) and RosterCSVReader.
//
// Built with -DFUZZING and -sanitize=fuzzer,address (see Fuzz/run.sh), the program is a libFuzzer
// target. SwiftPM renames an executable's main (to <module>_main, aliased as main), so libFuzzer's
// own main is not used: the top-level code below calls LLVMFuzzerRunDriver. LLVMFuzzerTestOneInput
// is defined as well, since -sanitize=fuzzer links libFuzzer's FuzzerMain, which refers to it.
// Built without -DFUZZING, the program replays the files named on the command line through the
// same checks (a crash input without sanitizers, or under lldb).
import CFuzzDriver
import Foundation

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    CSVFuzz.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzTestOneInput(data, size) })
#else
for path in CommandLine.arguments.dropFirst() {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(66)
    }
    CSVFuzz.run([UInt8](data))
    print("\(path): ok")
}
#endif
