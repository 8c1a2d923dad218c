/// AV1 packetizer ("RTP Payload Format For AV1" v1.0, §4): temporal delimiters, tile lists and
/// padding are dropped, OBU size fields are stripped, and the OBU elements are packed in order,
/// each with a LEB128 length (W=0), fragmenting across payloads with Y/Z.
package struct AV1Packetizer: Packetizer {
    /// A packetizer; the format needs no per-stream state.
    package init() {}

    /// The payloads for one temporal unit in low-overhead format; empty when it is malformed, has
    /// no OBU worth sending, or `maxPayloadSize` is below 3. N=1 on the first payload when the
    /// temporal unit carries a sequence header (a new coded video sequence, §4.4).
    package func packetize(_ frame: [UInt8], maxPayloadSize: Int) -> [[UInt8]] {
        guard maxPayloadSize >= 3, let obus = AV1OBU.parseTemporalUnit(frame[...]) else { return [] }
        let maxPayloadSize = min(maxPayloadSize, 0xFFFF)
        let dropped = [AV1OBU.Kind.temporalDelimiter, AV1OBU.Kind.tileList, AV1OBU.Kind.padding]
        let kept = obus.filter { !dropped.contains($0.type) }
        guard !kept.isEmpty else { return [] }
        let newSequence = kept.contains { $0.type == AV1OBU.Kind.sequenceHeader }

        var out: [[UInt8]] = []
        var body: [UInt8] = []
        var continues = false  // Z of the payload being filled
        func finish(openFragment: Bool) {
            // Aggregation header |Z|Y|W W|N|-|-|-| (§4.4), W=0: every element has a length.
            let z: UInt8 = continues ? 0x80 : 0
            let y: UInt8 = openFragment ? 0x40 : 0
            let n: UInt8 = newSequence && out.isEmpty ? 0x08 : 0
            out.append([z | y | n] + body)
            body = []
            continues = openFragment
        }
        for obu in kept {
            let element = obu.bytesWithoutSize
            var offset = 0
            while offset < element.count {
                let room = maxPayloadSize - 1 - body.count
                if room < 2 {
                    finish(openFragment: false)
                    continue
                }
                var length = min(element.count - offset, room - 1)
                while LEB128.size(length) + length > room { length -= 1 }
                body.append(contentsOf: LEB128.encode(length))
                body.append(contentsOf: element[offset..<offset + length])
                offset += length
                if offset < element.count { finish(openFragment: true) }
            }
        }
        if !body.isEmpty { finish(openFragment: false) }
        return out
    }
}

/// AV1 depacketizer: joins fragments, restores OBU size fields, and returns a low-overhead
/// temporal unit that starts with a temporal delimiter (as IVF and decoders expect).
package struct AV1Depacketizer: Depacketizer {
    /// A depacketizer.
    package init() {}

    /// False: a temporal unit spans payloads up to the marker.
    package var oneFramePerPayload: Bool { false }

    /// `.yes` when N=1 (starts a coded video sequence), `.no` when Z=1, otherwise `.unknown`.
    package func frameStart(_ payload: ArraySlice<UInt8>) -> FrameStart {
        guard let agg = payload.first else { return .no }
        if agg & 0x80 != 0 { return .no }
        return agg & 0x08 != 0 ? .yes : .unknown
    }

    /// The temporal unit; keyframe when the first payload has N=1 or a sequence header arrives.
    package func depacketize(_ payloads: [ArraySlice<UInt8>]) -> DepacketizeResult {
        guard !payloads.isEmpty else { return .dropped(reason: PayloadDropReason.av1EmptyPayload) }
        var elements: [[UInt8]] = []
        var fragment: [UInt8]?
        var key = false
        for (index, p) in payloads.enumerated() {
            guard let agg = p.first else { return .dropped(reason: PayloadDropReason.av1EmptyPayload) }
            let z = agg & 0x80 != 0, y = agg & 0x40 != 0, w = Int(agg >> 4 & 0x03)
            if index == 0, agg & 0x08 != 0 { key = true }
            guard z == (fragment != nil) else { return .dropped(reason: PayloadDropReason.av1FragmentMismatch) }
            // §4.4: with W=0 every element has a length; otherwise the W-th (last) one has none.
            var parts: [ArraySlice<UInt8>] = []
            var i = p.startIndex + 1
            while i < p.endIndex {
                if w != 0, parts.count == w - 1 {
                    parts.append(p[i...])
                    break
                }
                guard let length = LEB128.read(p, at: &i), length <= p.endIndex - i else {
                    return .dropped(reason: PayloadDropReason.av1BadLEB128)
                }
                parts.append(p[i..<i + length])
                i += length
            }
            if parts.isEmpty { return .dropped(reason: PayloadDropReason.av1EmptyPayload) }
            if w != 0, parts.count != w { return .dropped(reason: PayloadDropReason.av1ElementCountMismatch) }
            for (k, part) in parts.enumerated() {
                var data: [UInt8]
                if k == 0, let open = fragment {
                    data = open + part
                    fragment = nil
                } else {
                    data = Array(part)
                }
                if k == parts.count - 1, y {
                    fragment = data
                } else {
                    elements.append(data)
                }
            }
        }
        guard fragment == nil else { return .dropped(reason: PayloadDropReason.av1FragmentNotFinished) }
        var unit = AV1OBU.temporalDelimiterBytes
        for element in elements {
            guard let obu = AV1OBU.parseElement(element[...]) else { return .dropped(reason: PayloadDropReason.av1BadOBU) }
            if obu.type == AV1OBU.Kind.temporalDelimiter { continue }
            if obu.type == AV1OBU.Kind.sequenceHeader { key = true }
            unit.append(contentsOf: obu.bytesWithSize)
        }
        return .frame(unit, isKeyframe: key)
    }
}
