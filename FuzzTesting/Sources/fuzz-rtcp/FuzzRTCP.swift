import FuzzSupport
import WebRTCCore
import WebRTCRTP

/// libFuzzer entry point for the RTCP packet layer (`RTCPCompound`: SR, RR, SDES, BYE, generic
/// NACK, PLI, FIR, REMB, transport-cc). The input is parsed as a whole array and as a slice
/// starting at index 1. Properties: no trap; a rejected datagram is counted under exactly one
/// reason; every sub-packet is either interpreted, skipped as unknown or dropped as malformed;
/// an accepted compound with at least one interpreted packet re-serialises to bytes that parse back to the same packets without any
/// drop, and serialising again is stable; NACK entries re-pack to the same sequence numbers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTCP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    check(bytes[...])
    if bytes.count > 1 { check(bytes[1...]) }
    return 0
}

func check(_ p: ArraySlice<UInt8>) {
    var drops = DropCounters()
    guard let compound = RTCPCompound(p, drops: &drops) else {
        require(drops.total == 1, "a rejected datagram is counted once")
        return
    }
    require(drops.total == compound.skippedUnknown + compound.droppedMalformed, "every skipped or dropped sub-packet is counted")
    // Nothing interpreted (every sub-packet unknown or malformed): nothing to write back.
    guard !compound.packets.isEmpty else { return }
    let wire = compound.serialized()
    require(wire.count % 4 == 0, "serialised RTCP is word-aligned")
    var again = DropCounters()
    guard let reparsed = RTCPCompound(wire[...], drops: &again) else {
        require(false, "own serialisation rejected")
        return
    }
    require(again.total == 0, "own serialisation parses without drops")
    require(reparsed.packets == compound.packets, "round trip keeps every packet")
    require(reparsed.serialized() == wire, "serialisation is stable")
    for packet in compound.packets {
        if case .nack(let nack) = packet {
            let lost = nack.sequenceNumbers
            let repacked = RTCPGenericNACK(senderSSRC: 0, mediaSSRC: 0, lost: lost)
            require(Set(repacked.sequenceNumbers) == Set(lost), "NACK entries re-pack to the same sequence numbers")
            require(repacked.entries.count <= lost.count, "re-packing never adds entries")
        }
    }
}

/// SwiftPM links executables with `main` aliased to `<module>_main`; hand control to libFuzzer.
@_cdecl("fuzz_rtcp_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzzRTCP(data, size) }
}
