/// H.264 NAL unit types used by the payload format (ITU-T H.264 Table 7-1, RFC 6184 Table 1).
package enum H264NALType {
    /// Coded slice of a non-IDR picture.
    package static let slice: UInt8 = 1
    /// Coded slice of an IDR picture.
    package static let idr: UInt8 = 5
    /// Supplemental enhancement information.
    package static let sei: UInt8 = 6
    /// Sequence parameter set.
    package static let sps: UInt8 = 7
    /// Picture parameter set.
    package static let pps: UInt8 = 8
    /// Access unit delimiter.
    package static let aud: UInt8 = 9
    /// Single-time aggregation packet (RFC 6184 §5.7.1).
    package static let stapA: UInt8 = 24
    /// Fragmentation unit without DON (RFC 6184 §5.8).
    package static let fuA: UInt8 = 28

    /// The type field of a NAL unit header byte.
    package static func type(_ header: UInt8) -> UInt8 { header & 0x1F }
}

/// H.264 packetizer, packetization-mode 1 (RFC 6184 §6.3): consecutive NAL units that fit together
/// go in one STAP-A (§5.7.1), a NAL unit alone goes in a single NAL unit packet (§5.6), and one
/// larger than the payload size is split into FU-As (§5.8).
package struct H264Packetizer: Packetizer {
    /// A packetizer; the format needs no per-stream state.
    package init() {}

    /// The payloads for an Annex B access unit; empty when it holds no NAL unit or
    /// `maxPayloadSize` is below 3 (FU indicator, FU header, one byte).
    package func packetize(_ frame: [UInt8], maxPayloadSize: Int) -> [[UInt8]] {
        let nals = AnnexB.split(frame)
        guard !nals.isEmpty, maxPayloadSize >= 3 else { return [] }
        let maxPayloadSize = min(maxPayloadSize, 0xFFFF)  // also keeps STAP-A sizes within 16 bits
        var out: [[UInt8]] = []
        var pending: [ArraySlice<UInt8>] = []
        var pendingSize = 1  // the STAP-A NAL header
        func flush() {
            if pending.count == 1 {
                out.append(Array(pending[0]))
            } else if pending.count > 1 {
                // RFC 6184 §5.7: F is the OR and NRI the maximum of the aggregated units' values.
                let f = pending.reduce(UInt8(0)) { $0 | ($1.first! & 0x80) }
                let nri = pending.reduce(UInt8(0)) { max($0, $1.first! & 0x60) }
                var stap: [UInt8] = [f | nri | H264NALType.stapA]
                for nal in pending {
                    stap.append(UInt8(nal.count >> 8))
                    stap.append(UInt8(nal.count & 0xFF))
                    stap.append(contentsOf: nal)
                }
                out.append(stap)
            }
            pending = []
            pendingSize = 1
        }
        for nal in nals {
            if nal.count > maxPayloadSize {
                flush()
                out.append(contentsOf: fragment(nal, maxPayloadSize: maxPayloadSize))
                continue
            }
            if !pending.isEmpty, pendingSize + 2 + nal.count > maxPayloadSize { flush() }
            pending.append(nal)
            pendingSize += 2 + nal.count
        }
        flush()
        return out
    }

    /// RFC 6184 §5.8: FU indicator (F, NRI, type 28), FU header (S, E, R=0, the NAL type), then a
    /// slice of the NAL unit's payload (its header byte is not repeated).
    private func fragment(_ nal: ArraySlice<UInt8>, maxPayloadSize: Int) -> [[UInt8]] {
        let header = nal.first!
        let indicator = header & 0xE0 | H264NALType.fuA
        let body = nal.dropFirst()
        let room = maxPayloadSize - 2
        var out: [[UInt8]] = []
        var offset = body.startIndex
        while offset < body.endIndex {
            let n = min(room, body.endIndex - offset)
            let s: UInt8 = offset == body.startIndex ? 0x80 : 0
            let e: UInt8 = offset + n == body.endIndex ? 0x40 : 0
            var payload: [UInt8] = [indicator, s | e | H264NALType.type(header)]
            payload.append(contentsOf: body[offset..<offset + n])
            out.append(payload)
            offset += n
        }
        return out
    }
}

/// H.264 depacketizer, packetization-mode 1 (RFC 6184 §6.3): single NAL units, STAP-A and FU-A
/// back to an Annex B access unit with 4-byte start codes.
package struct H264Depacketizer: Depacketizer {
    /// A depacketizer.
    package init() {}

    /// False: an access unit spans payloads up to the marker (RFC 6184 §5.1).
    package var oneFramePerPayload: Bool { false }

    /// `.yes` when the payload's first NAL unit is an AUD or SPS (which only open an access unit),
    /// `.no` for an FU-A continuation, otherwise `.unknown`.
    package func frameStart(_ payload: ArraySlice<UInt8>) -> FrameStart {
        guard let h = payload.first else { return .no }
        var first: UInt8
        switch H264NALType.type(h) {
        case H264NALType.stapA:
            guard payload.count > 3 else { return .no }
            first = H264NALType.type(payload[payload.startIndex + 3])
        case H264NALType.fuA:
            guard payload.count > 1 else { return .no }
            let fu = payload[payload.startIndex + 1]
            guard fu & 0x80 != 0 else { return .no }
            first = H264NALType.type(fu)
        default:
            first = H264NALType.type(h)
        }
        return first == H264NALType.aud || first == H264NALType.sps ? .yes : .unknown
    }

    /// The Annex B access unit; keyframe when it holds an IDR slice (5) or an SPS (7).
    package func depacketize(_ payloads: [ArraySlice<UInt8>]) -> DepacketizeResult {
        guard !payloads.isEmpty else { return .dropped(reason: PayloadDropReason.h264EmptyPayload) }
        var nals: [ArraySlice<UInt8>] = []
        var fragment: [UInt8]?
        for p in payloads {
            guard let h = p.first else { return .dropped(reason: PayloadDropReason.h264EmptyPayload) }
            let type = H264NALType.type(h)
            if type != H264NALType.fuA, fragment != nil { return .dropped(reason: PayloadDropReason.h264FuAWithoutEnd) }
            switch type {
            case 1...23:
                nals.append(p)
            case H264NALType.stapA:
                // RFC 6184 §5.7.1: 16-bit NALU size, then the NAL unit, repeated to the end.
                var i = p.startIndex + 1
                guard i < p.endIndex else { return .dropped(reason: PayloadDropReason.h264StapAEmpty) }
                while i < p.endIndex {
                    guard p.endIndex - i >= 2 else { return .dropped(reason: PayloadDropReason.h264StapALengthPastEnd) }
                    let size = Int(p[i]) << 8 | Int(p[i + 1])
                    i += 2
                    guard size > 0 else { return .dropped(reason: PayloadDropReason.h264StapAEmpty) }
                    guard p.endIndex - i >= size else { return .dropped(reason: PayloadDropReason.h264StapALengthPastEnd) }
                    nals.append(p[i..<i + size])
                    i += size
                }
            case H264NALType.fuA:
                guard p.count >= 3 else { return .dropped(reason: PayloadDropReason.h264FuATruncated) }
                let fu = p[p.startIndex + 1]
                let start = fu & 0x80 != 0, end = fu & 0x40 != 0
                if start {
                    guard fragment == nil else { return .dropped(reason: PayloadDropReason.h264FuAWithoutEnd) }
                    fragment = [h & 0xE0 | H264NALType.type(fu)]
                } else if fragment == nil {
                    return .dropped(reason: PayloadDropReason.h264FuAWithoutStart)
                }
                fragment!.append(contentsOf: p.dropFirst(2))
                if end {
                    nals.append(fragment![...])
                    fragment = nil
                }
            default:
                return .dropped(reason: PayloadDropReason.h264UnsupportedType)
            }
        }
        guard fragment == nil else { return .dropped(reason: PayloadDropReason.h264FuAWithoutEnd) }
        let key = nals.contains { H264NALType.type($0.first!) == H264NALType.idr || H264NALType.type($0.first!) == H264NALType.sps }
        return .frame(AnnexB.join(nals), isKeyframe: key)
    }
}
