import Testing
@testable import WebRTCPayload

// Bit layouts from RFC 7741 §4.2 (VP8), RFC 9628 §4.2 (VP9), RFC 6184 §5.7.1/§5.8 (H.264) and the
// AV1 RTP payload format v1.0 §4.4, written out by hand.

@Test("VP8 descriptor: X/S/PID and a 15-bit PictureID serialize to RFC 7741 §4.2 bits")
func vp8DescriptorBits() {
    #expect(VP8Descriptor(startOfPartition: true, partitionIndex: 0, pictureID: 0x1234).bytes == [0x90, 0x80, 0x92, 0x34])
    #expect(VP8Descriptor(nonReference: true, startOfPartition: false, partitionIndex: 3).bytes == [0x23])
    // X=1; I, L, T, K all set; M=1 PictureID 0x0102; TL0PICIDX 0x17; TID=2, Y=1, KEYIDX=5.
    let (d, length) = VP8Descriptor.parse(hex("80 F0 81 02 17 A5 FF")[...])!
    #expect(length == 6)
    #expect(d.pictureID == 0x0102 && d.longPictureID)
    #expect(d.tl0PicIndex == 0x17 && d.temporalLayer == 2 && d.layerSync && d.keyIndex == 5)
    #expect(d.bytes == hex("80 F0 81 02 17 A5"))
    // M=0: a 7-bit PictureID in one byte.
    let (short, shortLength) = VP8Descriptor.parse(hex("90 80 05 AA")[...])!
    #expect(shortLength == 3 && short.pictureID == 5 && !short.longPictureID && short.startOfPartition)
}

@Test("VP8 packetizer: S only on the first payload, PictureID per frame wrapping at 15 bits")
func vp8PacketizerPictureID() {
    var p = VP8Packetizer(firstPictureID: 0x7FFF)
    let a = p.packetize([UInt8](repeating: 0x10, count: 10), maxPayloadSize: 8)
    #expect(a.map { Array($0.prefix(4)) } == [hex("90 80 FF FF"), hex("80 80 FF FF"), hex("80 80 FF FF")])
    let b = p.packetize([0x31], maxPayloadSize: 8)
    #expect(b == [hex("90 80 80 00 31")])
    // Keyframe flag from the P bit of the first VP8 byte (RFC 7741 §4.3).
    #expect(VP8Depacketizer().depacketize([hex("90 80 80 00 50")[...]]) == .frame([0x50], isKeyframe: true))
    #expect(VP8Depacketizer().depacketize(b.map { $0[...] }) == .frame([0x31], isKeyframe: false))
}

@Test("VP9 descriptor: I/P/B/E bits, layer indices, TL0PICIDX and a scalability structure are parsed and skipped")
func vp9DescriptorBits() {
    #expect(VP9Descriptor(interPicture: false, beginning: true, end: true, pictureID: 0x0123).bytes == hex("8C 81 23"))
    #expect(VP9Descriptor(interPicture: true, beginning: false, end: true, pictureID: 5).bytes == hex("C4 80 05"))
    // I L B E V; PID 0x0123; TID=1 SID=0; TL0PICIDX; SS: N_S=0 Y=1 G=1, 320x240, N_G=1, R=1, P_DIFF.
    let bytes = hex("AE 81 23 20 05 18 0140 00F0 01 04 01 AA")
    guard case .success(let (d, length)) = VP9Descriptor.parse(bytes[...]) else {
        Issue.record("did not parse")
        return
    }
    #expect(length == bytes.count - 1)
    #expect(d.pictureID == 0x0123 && d.temporalLayer == 1 && d.spatialLayer == 0 && d.hasScalabilityStructure)
    #expect(d.beginning && d.end && !d.interPicture)
    #expect(VP9Depacketizer().depacketize([bytes[...]]) == .frame([0xAA], isKeyframe: true))
    // Flexible mode with P=1: two P_DIFF bytes (N=1 on the first).
    guard case .success(let (_, flexLength)) = VP9Descriptor.parse(hex("DC 80 07 03 02 AA")[...]) else {
        Issue.record("flexible descriptor did not parse")
        return
    }
    #expect(flexLength == 5)
}

@Test("VP9 keyframe detection from the uncompressed header's frame_type")
func vp9KeyframeHeader() {
    #expect(VP9Packetizer.isKeyframe([0x82, 0x49, 0x83]))   // profile 0, show_existing 0, KEY_FRAME
    #expect(!VP9Packetizer.isKeyframe([0x86]))              // profile 0, frame_type 1
    #expect(!VP9Packetizer.isKeyframe([0x88]))              // show_existing_frame
    #expect(VP9Packetizer.isKeyframe([0xB0]))               // profile 3, reserved 0, KEY_FRAME
    #expect(!VP9Packetizer.isKeyframe([0x02]))              // bad frame_marker
}

@Test("H.264 STAP-A: SPS and PPS aggregated before the IDR with RFC 6184 §5.7.1 sizes and NRI")
func h264StapABits() {
    let sps = hex("67 42 C0 1E"), pps = hex("68 CE 3C"), idr = hex("65 88 84 21 A0 B0 C0 D0 E0 F0")
    let p = H264Packetizer().packetize(AnnexB.join([sps, pps, idr]), maxPayloadSize: 1200)
    #expect(p == [hex("78 0004 6742C01E 0003 68CE3C 000A 65888421A0B0C0D0E0F0")])
    #expect(H264Depacketizer().depacketize(p.map { $0[...] }) == .frame(AnnexB.join([sps, pps, idr]), isKeyframe: true))
    // A payload size that fits SPS+PPS only: STAP-A, then the IDR alone.
    let q = H264Packetizer().packetize(AnnexB.join([sps, pps, idr]), maxPayloadSize: 12)
    #expect(q == [hex("78 0004 6742C01E 0003 68CE3C"), idr])
}

@Test("H.264 FU-A: indicator keeps F/NRI with type 28, header S/E and the NAL type (RFC 6184 §5.8)")
func h264FuABits() {
    let idr = hex("65 01 02 03 04 05 06 07 08 09 0A")
    let p = H264Packetizer().packetize(AnnexB.join([idr]), maxPayloadSize: 6)
    #expect(p == [hex("7C 85 01020304"), hex("7C 05 05060708"), hex("7C 45 090A")])
    #expect(H264Depacketizer().depacketize(p.map { $0[...] }) == .frame(AnnexB.join([idr]), isKeyframe: true))
    let slice = hex("41 9A 02 03")
    #expect(H264Packetizer().packetize(AnnexB.join([slice]), maxPayloadSize: 3) == [hex("5C 81 9A"), hex("5C 01 02"), hex("5C 41 03")])
}

@Test("Annex B splitter: 3- and 4-byte start codes, leading garbage and trailing zeros")
func annexBSplit() {
    let stream = hex("FF 00 00 00 01 67 42 00 00 01 68 CE 00 00 00 00 01 65 88 00")
    #expect(AnnexB.split(stream).map { Array($0) } == [hex("67 42"), hex("68 CE"), hex("65 88")])
    #expect(AnnexB.split([0, 0, 1]).isEmpty)
    #expect(AnnexB.split([]).isEmpty)
}

@Test("AV1 aggregation header: N on a new sequence, W=0 lengths, size fields stripped, TD dropped")
func av1AggregationBits() {
    let unit = AV1OBU.temporalDelimiterBytes + hex("0A 03 010203") + hex("32 05 A1A2A3A4A5")
    let p = AV1Packetizer().packetize(unit, maxPayloadSize: 1200)
    // |Z|Y|W W|N|-|-|-| = 0x08, then length 4 + sequence header without size, length 6 + frame OBU.
    #expect(p == [hex("08 04 08010203 06 30A1A2A3A4A5")])
    #expect(AV1Depacketizer().depacketize(p.map { $0[...] }) == .frame(unit, isKeyframe: true))
}

@Test("AV1 fragmentation: Y on the payloads that leave an OBU open, Z on those that continue it")
func av1FragmentBits() {
    let unit = AV1OBU.temporalDelimiterBytes + hex("32 0A F0F1F2F3F4F5F6F7F8F9")
    let p = AV1Packetizer().packetize(unit, maxPayloadSize: 6)
    #expect(p == [hex("40 04 30F0F1F2"), hex("C0 04 F3F4F5F6"), hex("80 03 F7F8F9")])
    #expect(AV1Depacketizer().depacketize(p.map { $0[...] }) == .frame(unit, isKeyframe: false))
    // W=2: the first element has a length, the last does not.
    let w2 = hex("20 02 0801 30AA")
    #expect(AV1Depacketizer().depacketize([w2[...]]) == .frame(AV1OBU.temporalDelimiterBytes + hex("0A 01 01 32 01 AA"), isKeyframe: true))
}

@Test("LEB128: minimal encodings, sizes, and rejection past 8 bytes or 32 bits")
func leb128() {
    #expect(LEB128.encode(0) == [0x00])
    #expect(LEB128.encode(127) == [0x7F])
    #expect(LEB128.encode(128) == [0x80, 0x01])
    #expect(LEB128.encode(300) == [0xAC, 0x02])
    #expect((0..<2000).allSatisfy { LEB128.size($0) == LEB128.encode($0).count })
    var i = 0
    #expect(LEB128.read(hex("AC 02 FF")[...], at: &i) == 300 && i == 2)
    i = 0
    #expect(LEB128.read(hex("80 80")[...], at: &i) == nil && i == 0)
    i = 0
    #expect(LEB128.read(hex("80 80 80 80 80 80 80 80 01")[...], at: &i) == nil)
    i = 0
    #expect(LEB128.read(hex("80 80 80 80 10")[...], at: &i) == nil)  // 2^32
    i = 0
    #expect(LEB128.read(hex("FF FF FF FF 0F")[...], at: &i) == Int(UInt32.max))
}
