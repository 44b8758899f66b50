import Foundation
#if VIXSHIELD_LIBFUZZER
import CLibFuzzer
#endif

// `vixshield-fuzz TARGET [args…]`. Built by scripts/fuzz with `-sanitize=fuzzer` and `-DVIXSHIELD_LIBFUZZER`,
// the args go to libFuzzer (corpus folders, -max_total_time=N, …). A normal build is a replayer instead:
// the args are input files, each run once through TARGET (to reproduce a crash without the fuzz build).
@main enum FuzzMain {
    static func main() {
        let arguments = CommandLine.arguments
        // libFuzzer's -fork/-jobs children are started without the target name: they find it here.
        let environmentName = ProcessInfo.processInfo.environment["VIXSHIELD_FUZZ_TARGET"]
        let named = arguments.count > 1 ? FuzzTargets.named(arguments[1]) : nil
        if arguments.count > 1, arguments[1] == "--list" {
            FuzzTargets.all.forEach { print($0.name) }
            exit(0)
        }
        guard let target = named ?? environmentName.flatMap(FuzzTargets.named) else {
            usage()
            exit(2)
        }
        selected = target
#if VIXSHIELD_LIBFUZZER
        setenv("VIXSHIELD_FUZZ_TARGET", target.name, 1)
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        if named != nil {
            // Drop the target name: libFuzzer reads argv[0] and then its own flags and folders.
            argv![1] = argv![0]
            argv = argv! + 1
            argc -= 1
        }
        exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput))
#else
        let files = arguments.dropFirst(named == nil ? 1 : 2)
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("\(file): cannot read\n".utf8))
                exit(2)
            }
            target.run(data)
            print("\(target.name) \(file): no trap")
        }
#endif
    }

    private static func usage() {
        var text = "usage: vixshield-fuzz TARGET [libFuzzer args | input files]   (or --list)\ntargets:\n"
        for target in FuzzTargets.all { text += "  \(target.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(target.summary)\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// The target `main` picked; set once before libFuzzer starts calling back.
nonisolated(unsafe) private var selected: FuzzTarget?

#if VIXSHIELD_LIBFUZZER
/// libFuzzer's per-input callback (its runtime's own `main` references the symbol, so it is exported).
@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    selected?.run(data)
    return 0
}
#endif
