import WebRTCSDP

/// libFuzzer entry point for the RFC 8839 candidate grammar: accepted input must round-trip
/// through `description`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCandidate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let c = try? CandidateAttribute.parse(text) else { return 0 }
    guard let again = try? CandidateAttribute.parse(c.description), again == c, again.description == c.description else {
        fatalError("accepted candidate does not round-trip: \(c.description)")
    }
    return 0
}

/// SwiftPM links executables with `main` aliased to `<module>_main`; hand control to libFuzzer.
@_cdecl("fuzz_candidate_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzzCandidate(data, size)
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
