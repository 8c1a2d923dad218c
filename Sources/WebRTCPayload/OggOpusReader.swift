/// Reads the Opus packets of the first logical stream of an Ogg file (RFC 3533 pages, RFC 7845
/// Ogg Opus mapping): the OpusHead and OpusTags header packets are skipped.
///
/// ```
/// page: "OggS" version(1) type(1) granule(8) serial(4) sequence(4) crc(4) segments(1)
///       lacing values(segments) data
/// ```
/// A packet is the concatenation of lacing values up to the first one below 255 (RFC 3533 §5),
/// and may continue on the next page. Each page's CRC is verified (RFC 3533 §6).
package struct OggOpusFile: Sendable {
    /// One Opus packet and its RTP timestamp offset (48 kHz samples from the first packet).
    package struct Packet: Sendable, Equatable {
        /// The sample offset of the packet's start, at 48 kHz.
        package var timestamp: UInt32
        /// The Opus packet.
        package var bytes: [UInt8]
    }

    /// The channel count from OpusHead.
    package var channels: Int
    /// The pre-skip from OpusHead (samples to discard at the start, RFC 7845 §5.1).
    package var preSkip: Int
    /// The audio packets in order.
    package var packets: [Packet]

    /// Parses a whole Ogg Opus file. Throws `MediaFileError` with "ogg.badCapture",
    /// "ogg.truncatedPage", "ogg.badChecksum", "ogg.notOpus" or "ogg.noTags".
    package init(_ bytes: [UInt8]) throws {
        let b = bytes[...]
        var raw: [[UInt8]] = []
        var partial: [UInt8] = []
        var serial: UInt64?
        var i = b.startIndex
        while i < b.endIndex {
            guard b.endIndex - i >= 27 else { throw MediaFileError("ogg.truncatedPage") }
            guard b[i..<i + 4].elementsEqual("OggS".utf8), b[i + 4] == 0 else { throw MediaFileError("ogg.badCapture") }
            let pageSerial = b.littleEndian(at: i + 14, count: 4)!
            let segments = Int(b[i + 26])
            let lacingStart = i + 27
            guard b.endIndex - lacingStart >= segments else { throw MediaFileError("ogg.truncatedPage") }
            let lacing = b[lacingStart..<lacingStart + segments]
            let dataLength = lacing.reduce(0) { $0 + Int($1) }
            var data = lacingStart + segments
            guard b.endIndex - data >= dataLength else { throw MediaFileError("ogg.truncatedPage") }
            guard Self.pageChecksumMatches(b[i..<data + dataLength]) else { throw MediaFileError("ogg.badChecksum") }
            if serial == nil { serial = pageSerial }
            if pageSerial == serial {
                for value in lacing {
                    partial.append(contentsOf: b[data..<data + Int(value)])
                    data += Int(value)
                    if value < 255 {
                        raw.append(partial)
                        partial = []
                    }
                }
            }
            i = lacingStart + segments + dataLength
        }
        guard let head = raw.first, head.count >= 19, head.prefix(8).elementsEqual("OpusHead".utf8) else {
            throw MediaFileError("ogg.notOpus")
        }
        guard raw.count >= 2, raw[1].prefix(8).elementsEqual("OpusTags".utf8) else { throw MediaFileError("ogg.noTags") }
        channels = Int(head[9])
        preSkip = Int(head[10]) | Int(head[11]) << 8
        packets = []
        var timestamp: UInt32 = 0
        for packet in raw.dropFirst(2) where !packet.isEmpty {
            packets.append(Packet(timestamp: timestamp, bytes: packet))
            timestamp &+= UInt32(Self.samples(packet))
        }
    }

    /// RFC 3533 §6: CRC-32 with polynomial 0x04C11DB7, initial value 0, no reflection, no final
    /// XOR, over the whole page with its checksum field (bytes 22–25) taken as zero.
    static func pageChecksumMatches(_ page: ArraySlice<UInt8>) -> Bool {
        let s = page.startIndex
        var crc: UInt32 = 0
        for (k, byte) in page.enumerated() {
            let b: UInt8 = (22..<26).contains(k) ? 0 : byte
            crc ^= UInt32(b) << 24
            for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? crc << 1 ^ 0x04C1_1DB7 : crc << 1 }
        }
        return page.littleEndian(at: s + 22, count: 4) == UInt64(crc)
    }

    /// The 48 kHz sample count of an Opus packet from its TOC byte (RFC 6716 §3.1, §3.2).
    package static func samples(_ packet: [UInt8]) -> Int {
        guard let toc = packet.first else { return 0 }
        let config = Int(toc >> 3)
        let frameSamples: Int
        switch config {
        case 0...11: frameSamples = [480, 960, 1920, 2880][config % 4]  // SILK: 10, 20, 40, 60 ms
        case 12...15: frameSamples = [480, 960][config % 2]            // hybrid: 10, 20 ms
        default: frameSamples = [120, 240, 480, 960][config % 4]       // CELT: 2.5, 5, 10, 20 ms
        }
        let frames: Int
        switch toc & 0x03 {
        case 0: frames = 1
        case 1, 2: frames = 2
        default: frames = packet.count > 1 ? Int(packet[1] & 0x3F) : 0
        }
        return frameSamples * frames
    }
}
