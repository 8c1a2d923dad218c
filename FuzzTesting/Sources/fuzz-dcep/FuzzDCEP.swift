import FuzzSupport
import WebRTCDCEP

/// libFuzzer entry point for the DCEP codec (RFC 8832 §5). Properties: no trap, also on a slice
/// that does not start at index 0; an accepted OPEN re-encodes to exactly the input and its
/// parameters respect the channel type; an ACK is recognised by its first byte only.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDCEP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    if bytes.count > 1 { _ = DCEPMessage.decode(bytes[1...]) }
    switch DCEPMessage.decode(bytes) {
    case .success(.ack):
        require(bytes.first == 0x02, "ACK from first byte \(String(describing: bytes.first))")
    case .success(.open(let open)):
        require(DCEPMessage.open(open).encode() == bytes, "OPEN does not re-encode to its input")
        let p = open.parameters(id: 1)
        require(p.ordered == open.channelType.ordered && p.label == open.label && p.protocol == open.protocol, "parameters")
        require(!(p.maxRetransmits != nil && p.maxPacketLifeTime != nil), "both reliability limits set")
        _ = DataChannelParameters(label: open.label, protocol: open.protocol)
    case .failure(let e):
        require(!e.rawValue.isEmpty, "reason")
        if bytes.isEmpty { require(e == .empty, "empty input gave \(e)") }
    }
    return 0
}

/// SwiftPM links executables with `main` aliased to `<module>_main`; hand control to libFuzzer.
@_cdecl("fuzz_dcep_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzzDCEP(data, size) }
}
