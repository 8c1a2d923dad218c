import WebRTCSDP

/// libFuzzer entry point: parse arbitrary bytes as SDP and check the same properties as the
/// in-suite smoke test (line numbers in range, accepted input round-trips). A violated property
/// traps so that libFuzzer records the input as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSDP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let parsed = try SessionDescription.parse(text)
        let out = parsed.serialize()
        guard let again = try? SessionDescription.parse(out), again == parsed, again.serialize() == out else {
            fatalError("accepted SDP does not round-trip:\n\(out)")
        }
        _ = try? parsed.validateForWebRTC()
    } catch {
        var lines = 1
        for b in text.utf8 where b == 0x0A { lines += 1 }
        precondition(error.line >= 1 && error.line <= lines, "error line \(error.line) outside 1...\(lines)")
    }
    return 0
}

/// SwiftPM links executables with `main` aliased to `<module>_main`; hand control to libFuzzer.
@_cdecl("fuzz_sdp_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzzSDP(data, size)
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
