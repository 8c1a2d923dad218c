import FuzzSupport
import WebRTCSRTP

/// libFuzzer entry point for the plain RTP and RTCP views (RFC 3550 §5.1, §6.4; RFC 5761 §4).
/// The input is parsed twice: as a whole array and as a slice starting at index 1, so that index
/// arithmetic relative to `startIndex` is exercised. Properties: no trap; an RTP view's header,
/// payload and padding exactly tile the packet; a compound RTCP split tiles the packet with
/// consecutive ranges, padding only on the last one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    check(bytes[...])
    if bytes.count > 1 { check(bytes[1...]) }
    return 0
}

func check(_ p: ArraySlice<UInt8>) {
    _ = RTPDemux.isRTCP(p)
    if let v = RTPHeaderView(p) {
        require(v.version == 2, "version")
        require(v.headerLength >= RTPHeaderView.fixedHeaderLength + 4 * v.csrcs.count, "header length")
        require(v.payloadRange.lowerBound == p.startIndex + v.headerLength, "payload starts after the header")
        require(v.payloadRange.upperBound + v.paddingLength == p.endIndex, "payload + padding end the packet")
        require(v.payloadRange.lowerBound <= v.payloadRange.upperBound, "payload range")
        if let e = v.extensionRange {
            require(e.lowerBound >= p.startIndex && e.upperBound <= v.payloadRange.lowerBound, "extension inside the header")
        }
        _ = p[v.payloadRange]  // must be in bounds
    }
    if let views = RTCPPacketView.compound(p) {
        var expected = p.startIndex
        for (i, v) in views.enumerated() {
            require(v.range.lowerBound == expected, "RTCP packets are consecutive")
            require((192...223).contains(v.packetType) && v.version == 2, "RTCP header")
            require(v.bodyRange.lowerBound == v.range.lowerBound + 4 && v.bodyRange.upperBound + v.paddingLength == v.range.upperBound, "body range")
            require(!v.padding || i == views.count - 1, "padding only on the last packet")
            _ = p[v.bodyRange]
            expected = v.range.upperBound
        }
        require(expected == p.endIndex, "compound covers the packet")
    } else if let first = RTCPPacketView(p) {
        _ = p[first.range]
    }
}

/// SwiftPM links executables with `main` aliased to `<module>_main`; hand control to libFuzzer.
@_cdecl("fuzz_rtp_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzzRTP(data, size) }
}
