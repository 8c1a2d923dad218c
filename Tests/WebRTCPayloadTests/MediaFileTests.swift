import Testing
@testable import WebRTCPayload

/// Packetizes `frames` at `mtu`, assembles them again, and returns the assembler's frames.
func throughRTP<P: Packetizer, D: Depacketizer>(_ packetizer: P, _ depacketizer: D, _ frames: [[UInt8]], mtu: Int = 1200) -> [EncodedFrame] {
    var p = packetizer
    var a = FrameAssembler(depacketizer: depacketizer)
    let out = assemble(&a, packets(&p, frames, mtu: mtu))
    #expect(a.drops.total == 0)
    return out
}

@Test("IVF reader: VP8 file header and 60 frames at 1/30 s timestamps 0…59")
func ivfVP8() throws {
    let file = try IVFFile(try mediaFile("vp8.ivf"))
    #expect(file.fourcc == "VP80" && file.width == 320 && file.height == 240)
    #expect(file.frames.count == 60)
    #expect(file.frames.map(\.timestamp) == (0..<60).map { UInt64($0) })
    #expect(Double(file.timebaseNumerator) / Double(file.timebaseDenominator) == 1.0 / 30)
}

@Test("IVF reader: VP9 and AV1 files have their fourcc and 60 frames")
func ivfVP9AV1() throws {
    let vp9 = try IVFFile(try mediaFile("vp9.ivf"))
    #expect(vp9.fourcc == "VP90" && vp9.frames.count == 60)
    let av1 = try IVFFile(try mediaFile("av1.ivf"))
    #expect(av1.fourcc == "AV01" && av1.frames.count == 60)
    #expect(av1.frames.map(\.timestamp).last == 59)
}

@Test("IVF reader rejects a bad signature, a short header and a frame past the end")
func ivfMalformed() throws {
    let good = try mediaFile("vp8.ivf")
    #expect(throws: MediaFileError("ivf.badSignature")) { try IVFFile([UInt8]("RIFF".utf8) + good.dropFirst(4)) }
    #expect(throws: MediaFileError("ivf.truncatedHeader")) { try IVFFile(Array(good.prefix(31))) }
    #expect(throws: MediaFileError("ivf.truncatedFrame")) { try IVFFile(Array(good.prefix(32 + 12 + 5))) }
}

@Test("VP8 file through RTP: bytes restored, frame 0 and 30 key, frame 1 not")
func vp8FileKeyframes() throws {
    let frames = try IVFFile(try mediaFile("vp8.ivf")).frames.map(\.bytes)
    let got = throughRTP(VP8Packetizer(), VP8Depacketizer(), frames)
    #expect(got.map(\.bytes) == frames)
    #expect(got.count == 60 && got[0].isKeyframe && !got[1].isKeyframe && got[30].isKeyframe)
    #expect(got.filter(\.isKeyframe).count == 2)
}

@Test("VP9 file through RTP: bytes restored, frame 0 key (P=0), frame 1 not")
func vp9FileKeyframes() throws {
    let frames = try IVFFile(try mediaFile("vp9.ivf")).frames.map(\.bytes)
    let got = throughRTP(VP9Packetizer(), VP9Depacketizer(), frames)
    #expect(got.map(\.bytes) == frames)
    #expect(got.count == 60 && got[0].isKeyframe && !got[1].isKeyframe && got[30].isKeyframe)
}

@Test("AV1 file through RTP: temporal units restored byte for byte, frame 0 key (N=1), frame 1 not")
func av1FileKeyframes() throws {
    let frames = try IVFFile(try mediaFile("av1.ivf")).frames.map(\.bytes)
    #expect(frames.allSatisfy { Array($0.prefix(2)) == AV1OBU.temporalDelimiterBytes })
    let got = throughRTP(AV1Packetizer(), AV1Depacketizer(), frames)
    #expect(got.map(\.bytes) == frames)
    #expect(got.count == 60 && got[0].isKeyframe && !got[1].isKeyframe)
    let p = AV1Packetizer()
    #expect(p.packetize(frames[0], maxPayloadSize: 1200).first?.first.map { $0 & 0x08 } == 0x08)
    #expect(p.packetize(frames[1], maxPayloadSize: 1200).first?.first.map { $0 & 0x08 } == 0)
}

@Test("H.264 Annex B file: 60 access units; through RTP the first is key (SPS+IDR), the second not")
func h264File() throws {
    let units = H264FileReader.accessUnits(try mediaFile("h264.h264"))
    #expect(units.count == 60)
    let types0 = AnnexB.split(units[0]).map { H264NALType.type($0.first!) }
    #expect(types0.first == H264NALType.sps && types0.contains(H264NALType.idr))
    let got = throughRTP(H264Packetizer(), H264Depacketizer(), units)
    #expect(got.map(\.bytes) == units)
    #expect(got[0].isKeyframe && !got[1].isKeyframe && got[30].isKeyframe)
}

@Test("H.264 access unit split: AUD, parameter sets after a slice, first_mb_in_slice = 0")
func h264AccessUnitRules() {
    let stream = AnnexB.join([hex("09 10"), hex("67 42"), hex("68 CE"), hex("65 88 11"), hex("65 40 22"),  // IDR, 2 slices
                              hex("41 9A 01"), hex("41 40 02"),                                               // P, 2 slices
                              hex("06 05 00"), hex("41 9A 03")])                                              // SEI, P
    let units = H264FileReader.accessUnits(stream)
    #expect(units.map { AnnexB.split($0).count } == [5, 2, 2])
}

@Test("Ogg Opus reader: header packets skipped, 20 ms packets 960 samples apart")
func oggOpus() throws {
    let file = try OggOpusFile(try mediaFile("opus.ogg"))
    #expect(file.channels == 1)
    #expect(file.preSkip == 312)
    #expect((100...101).contains(file.packets.count))
    #expect(file.packets.enumerated().allSatisfy { $0.element.timestamp == UInt32($0.offset * 960) })
    #expect(file.packets.allSatisfy { OggOpusFile.samples($0.bytes) == 960 })
    let got = throughRTP(OpusPacketizer(), OpusDepacketizer(), file.packets.map(\.bytes))
    #expect(got.map(\.bytes) == file.packets.map(\.bytes) && got.allSatisfy(\.isKeyframe))
}

@Test("Ogg reader rejects a bad capture pattern, a truncated page, a bad CRC and a non-Opus stream")
func oggMalformed() throws {
    let good = try mediaFile("opus.ogg")
    #expect(throws: MediaFileError("ogg.badCapture")) { try OggOpusFile([UInt8]("OggT".utf8) + good.dropFirst(4)) }
    #expect(throws: MediaFileError("ogg.truncatedPage")) { try OggOpusFile(Array(good.prefix(40))) }
    var corrupt = good
    corrupt[40] ^= 0x01
    #expect(throws: MediaFileError("ogg.badChecksum")) { try OggOpusFile(corrupt) }
    // A valid page whose first packet is not OpusHead: a page rebuilt with a correct checksum.
    var page = Array(good.prefix(27 + 1 + Int(good[27])))
    page.replaceSubrange(28..<36, with: "OpusHeaX".utf8)
    page.replaceSubrange(22..<26, with: [0, 0, 0, 0])
    var crc: UInt32 = 0
    for b in page {
        crc ^= UInt32(b) << 24
        for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? crc << 1 ^ 0x04C1_1DB7 : crc << 1 }
    }
    page.replaceSubrange(22..<26, with: [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)])
    #expect(throws: MediaFileError("ogg.notOpus")) { try OggOpusFile(page) }
}
