/// The VP8 payload descriptor (RFC 7741 §4.2).
///
/// ```
/// |X|R|N|S|R| PID |   X: extensions present, N: non-reference, S: partition start
/// |I|L|T|K| RSV   |   (X=1) I: PictureID, L: TL0PICIDX, T: TID, K: KEYIDX
/// |M| PictureID   |   (I=1) M=1: 15-bit PictureID in two bytes
/// |  TL0PICIDX    |   (L=1)
/// |TID|Y| KEYIDX  |   (T=1 or K=1)
/// ```
package struct VP8Descriptor: Sendable, Equatable {
    /// N: the frame is not used as a reference.
    package var nonReference = false
    /// S: the payload starts a VP8 partition.
    package var startOfPartition = false
    /// PID: the partition index (0–7).
    package var partitionIndex: UInt8 = 0
    /// The PictureID (7 or 15 bits) when present.
    package var pictureID: UInt16?
    /// Whether `pictureID` is sent in the 15-bit form (M=1).
    package var longPictureID = true
    /// TL0PICIDX when present.
    package var tl0PicIndex: UInt8?
    /// TID when present (T=1).
    package var temporalLayer: UInt8?
    /// Y (layer sync), meaningful with TID.
    package var layerSync = false
    /// KEYIDX when present (K=1).
    package var keyIndex: UInt8?

    /// A descriptor with the given fields.
    package init(nonReference: Bool = false, startOfPartition: Bool = false, partitionIndex: UInt8 = 0,
                 pictureID: UInt16? = nil, longPictureID: Bool = true) {
        self.nonReference = nonReference
        self.startOfPartition = startOfPartition
        self.partitionIndex = partitionIndex
        self.pictureID = pictureID
        self.longPictureID = longPictureID
    }

    /// The serialized descriptor.
    package var bytes: [UInt8] {
        let x = pictureID != nil || tl0PicIndex != nil || temporalLayer != nil || keyIndex != nil
        var out: [UInt8] = [(x ? 0x80 : 0) | (nonReference ? 0x20 : 0) | (startOfPartition ? 0x10 : 0) | (partitionIndex & 0x07)]
        guard x else { return out }
        out.append((pictureID != nil ? 0x80 : 0) | (tl0PicIndex != nil ? 0x40 : 0)
                   | (temporalLayer != nil ? 0x20 : 0) | (keyIndex != nil ? 0x10 : 0))
        if let id = pictureID {
            if longPictureID {
                out.append(0x80 | UInt8(id >> 8 & 0x7F))
                out.append(UInt8(id & 0xFF))
            } else {
                out.append(UInt8(id & 0x7F))
            }
        }
        if let t = tl0PicIndex { out.append(t) }
        if temporalLayer != nil || keyIndex != nil {
            out.append((temporalLayer ?? 0) << 6 | (layerSync ? 0x20 : 0) | ((keyIndex ?? 0) & 0x1F))
        }
        return out
    }

    /// Parses the descriptor at the start of `payload`; returns it and its length, or nil when
    /// the payload ends inside it.
    package static func parse(_ payload: ArraySlice<UInt8>) -> (VP8Descriptor, Int)? {
        var i = payload.startIndex
        guard i < payload.endIndex else { return nil }
        let b0 = payload[i]; i += 1
        var d = VP8Descriptor(nonReference: b0 & 0x20 != 0, startOfPartition: b0 & 0x10 != 0, partitionIndex: b0 & 0x07)
        if b0 & 0x80 != 0 {
            guard i < payload.endIndex else { return nil }
            let x = payload[i]; i += 1
            if x & 0x80 != 0 {
                guard i < payload.endIndex else { return nil }
                let p0 = payload[i]; i += 1
                if p0 & 0x80 != 0 {
                    guard i < payload.endIndex else { return nil }
                    d.pictureID = UInt16(p0 & 0x7F) << 8 | UInt16(payload[i]); i += 1
                } else {
                    d.pictureID = UInt16(p0)
                    d.longPictureID = false
                }
            }
            if x & 0x40 != 0 {
                guard i < payload.endIndex else { return nil }
                d.tl0PicIndex = payload[i]; i += 1
            }
            if x & 0x30 != 0 {
                guard i < payload.endIndex else { return nil }
                let t = payload[i]; i += 1
                if x & 0x20 != 0 { d.temporalLayer = t >> 6; d.layerSync = t & 0x20 != 0 }
                if x & 0x10 != 0 { d.keyIndex = t & 0x1F }
            }
        }
        return (d, i - payload.startIndex)
    }
}

/// VP8 packetizer (RFC 7741): one partition-agnostic split of the frame, S=1/PID=0 on the first
/// payload, and a 15-bit PictureID that increases by one per frame (§4.2).
package struct VP8Packetizer: Packetizer {
    /// The PictureID the next frame gets.
    package private(set) var nextPictureID: UInt16

    /// A packetizer whose first frame gets `firstPictureID` (masked to 15 bits).
    package init(firstPictureID: UInt16 = 0) { nextPictureID = firstPictureID & 0x7FFF }

    /// The frame's payloads, each a 4-byte descriptor plus up to `maxPayloadSize - 4` frame bytes.
    package mutating func packetize(_ frame: [UInt8], maxPayloadSize: Int) -> [[UInt8]] {
        let room = maxPayloadSize - 4
        guard !frame.isEmpty, room > 0 else { return [] }
        let id = nextPictureID
        nextPictureID = (nextPictureID + 1) & 0x7FFF
        var out: [[UInt8]] = []
        var offset = 0
        while offset < frame.count {
            let n = min(room, frame.count - offset)
            var payload = VP8Descriptor(startOfPartition: offset == 0, partitionIndex: 0, pictureID: id).bytes
            payload.append(contentsOf: frame[offset..<offset + n])
            out.append(payload)
            offset += n
        }
        return out
    }
}

/// VP8 depacketizer (RFC 7741 §4): strips descriptors and concatenates the VP8 data.
package struct VP8Depacketizer: Depacketizer {
    /// A depacketizer.
    package init() {}

    /// False: a frame spans payloads up to the marker.
    package var oneFramePerPayload: Bool { false }

    /// `.yes` when S=1 and PID=0 (RFC 7741 §4.2: the start of the first partition).
    package func frameStart(_ payload: ArraySlice<UInt8>) -> FrameStart {
        guard let (d, _) = VP8Descriptor.parse(payload) else { return .no }
        return d.startOfPartition && d.partitionIndex == 0 ? .yes : .no
    }

    /// The VP8 frame; keyframe when the P bit of the VP8 payload header is 0 (RFC 7741 §4.3).
    package func depacketize(_ payloads: [ArraySlice<UInt8>]) -> DepacketizeResult {
        var frame: [UInt8] = []
        for (i, p) in payloads.enumerated() {
            guard let (d, length) = VP8Descriptor.parse(p) else {
                return .dropped(reason: PayloadDropReason.vp8TruncatedDescriptor)
            }
            if i == 0, !(d.startOfPartition && d.partitionIndex == 0) {
                return .dropped(reason: PayloadDropReason.vp8NoPartitionStart)
            }
            guard length < p.count else { return .dropped(reason: PayloadDropReason.vp8EmptyPayload) }
            frame.append(contentsOf: p.dropFirst(length))
        }
        guard let first = frame.first else { return .dropped(reason: PayloadDropReason.vp8EmptyPayload) }
        return .frame(frame, isKeyframe: first & 0x01 == 0)
    }
}
