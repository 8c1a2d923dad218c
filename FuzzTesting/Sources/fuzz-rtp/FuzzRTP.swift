import FuzzSupport
import WebRTCCore
import WebRTCRTP
import WebRTCSRTP

/// libFuzzer entry point for the plain RTP and RTCP views (RFC 3550 §5.1, §6.4; RFC 5761 §4).
/// The input is parsed twice: as a whole array and as a slice starting at index 1, so that index
/// arithmetic relative to `startIndex` is exercised. Properties: no trap; an RTP view's header,
/// payload and padding exactly tile the packet; a compound RTCP split tiles the packet with
/// consecutive ranges, padding only on the last one. The packet layer's `RTPPacket` accepts exactly
/// what the view accepts, with the same payload, and round-trips through `serialized()`; its
/// header-extension elements stay inside the block; a long-lived `NackGenerator` and
/// `ReceiveStatistics` fed every parsed packet keep their lists bounded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    check(bytes[...])
    if bytes.count > 1 { check(bytes[1...]) }
    return 0
}

nonisolated(unsafe) var nackGenerator = NackGenerator(configuration: .init(maxListSize: 500))
nonisolated(unsafe) var receiveStatistics = ReceiveStatistics(ssrc: 0, clockRate: 90000)
nonisolated(unsafe) var virtualTime = Instant.zero

func checkPacketLayer(_ p: ArraySlice<UInt8>, view: RTPHeaderView?) {
    var drops = DropCounters()
    let packet = RTPPacket(p, drops: &drops)
    require((packet == nil) == (view == nil), "RTPPacket and RTPHeaderView agree on validity")
    require(drops.total == (packet == nil ? 1 : 0), "a rejection is counted once")
    guard let packet, let view else { return }
    require(packet.payload.startIndex == view.payloadRange.lowerBound && packet.payload.endIndex == view.payloadRange.upperBound, "same payload")
    require(packet.headerLength == view.headerLength, "same header length")
    let wire = packet.serialized()
    guard let again = try? RTPPacket(parsing: wire[...]) else {
        require(false, "own serialisation rejected")
        return
    }
    require(again == packet, "round trip keeps every field")
    for e in packet.headerExtensionElements {
        require(e.data.startIndex >= packet.extensionData.startIndex && e.data.endIndex <= packet.extensionData.endIndex, "element inside the block")
        require(packet.headerExtension(id: e.id) != nil, "an iterated id is found by lookup")
    }
    virtualTime = virtualTime + .milliseconds(5)
    nackGenerator.received(sequenceNumber: packet.sequenceNumber, at: virtualTime)
    let out = nackGenerator.poll(now: virtualTime)
    require(out.nacks.count <= 500 && nackGenerator.missingSequenceNumbers.count <= 500, "NACK list bounded")
    receiveStatistics.received(sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, at: virtualTime)
    _ = receiveStatistics.makeReportBlock(at: virtualTime)
}

func check(_ p: ArraySlice<UInt8>) {
    _ = RTPDemux.isRTCP(p)
    checkPacketLayer(p, view: RTPHeaderView(p))
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
