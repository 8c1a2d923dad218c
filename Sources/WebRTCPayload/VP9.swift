/// The VP9 payload descriptor (RFC 9628 §4.2).
///
/// ```
/// |I|P|L|F|B|E|V|Z|   picture ID present, inter-predicted, layer indices, flexible mode,
///                     start / end of a layer frame, scalability structure, not a reference
/// |M| PICTURE ID  |   (I=1) M=1: 15-bit picture ID in two bytes
/// |TID|U| SID |D|     (L=1) layer indices, followed by TL0PICIDX when F=0
/// |P_DIFF     |N|     (F=1, P=1) up to 3 reference differences
/// | SS ...        |   (V=1) scalability structure, §4.2.1
/// ```
package struct VP9Descriptor: Sendable, Equatable {
    /// P: the frame is inter-predicted (depends on an earlier frame).
    package var interPicture = false
    /// F: flexible mode.
    package var flexible = false
    /// B: the payload starts a layer frame.
    package var beginning = false
    /// E: the payload ends a layer frame.
    package var end = false
    /// Z: not used as a reference by upper spatial layers.
    package var notReference = false
    /// The picture ID (7 or 15 bits) when present.
    package var pictureID: UInt16?
    /// The spatial layer ID when layer indices are present.
    package var spatialLayer: UInt8?
    /// The temporal layer ID when layer indices are present.
    package var temporalLayer: UInt8?
    /// Whether a scalability structure was present (it is parsed and skipped).
    package var hasScalabilityStructure = false

    /// A descriptor with the given fields.
    package init(interPicture: Bool = false, beginning: Bool = false, end: Bool = false, pictureID: UInt16? = nil) {
        self.interPicture = interPicture
        self.beginning = beginning
        self.end = end
        self.pictureID = pictureID
    }

    /// The serialized descriptor in non-flexible mode with a 15-bit picture ID and no layer
    /// indices or scalability structure (what `VP9Packetizer` sends).
    package var bytes: [UInt8] {
        var out: [UInt8] = [(pictureID != nil ? 0x80 : 0) | (interPicture ? 0x40 : 0) | (beginning ? 0x08 : 0)
                            | (end ? 0x04 : 0) | (notReference ? 0x01 : 0)]
        if let id = pictureID {
            out.append(0x80 | UInt8(id >> 8 & 0x7F))
            out.append(UInt8(id & 0xFF))
        }
        return out
    }

    /// Why `parse` failed.
    package enum ParseError: Error, Equatable {
        /// The descriptor ends early.
        case truncatedDescriptor
        /// The scalability structure ends early.
        case truncatedScalability
    }

    /// Parses the descriptor at the start of `payload`; returns it and its length.
    package static func parse(_ payload: ArraySlice<UInt8>) -> Result<(VP9Descriptor, Int), ParseError> {
        var i = payload.startIndex
        func next() -> UInt8? {
            guard i < payload.endIndex else { return nil }
            defer { i += 1 }
            return payload[i]
        }
        guard let b0 = next() else { return .failure(.truncatedDescriptor) }
        var d = VP9Descriptor(interPicture: b0 & 0x40 != 0, beginning: b0 & 0x08 != 0, end: b0 & 0x04 != 0)
        d.flexible = b0 & 0x10 != 0
        d.notReference = b0 & 0x01 != 0
        if b0 & 0x80 != 0 {
            guard let p0 = next() else { return .failure(.truncatedDescriptor) }
            if p0 & 0x80 != 0 {
                guard let p1 = next() else { return .failure(.truncatedDescriptor) }
                d.pictureID = UInt16(p0 & 0x7F) << 8 | UInt16(p1)
            } else {
                d.pictureID = UInt16(p0)
            }
        }
        if b0 & 0x20 != 0 {
            guard let l = next() else { return .failure(.truncatedDescriptor) }
            d.temporalLayer = l >> 5
            d.spatialLayer = l >> 1 & 0x07
            // RFC 9628 §4.2: TL0PICIDX follows the layer indices in non-flexible mode only.
            if !d.flexible, next() == nil { return .failure(.truncatedDescriptor) }
        }
        if d.flexible, d.interPicture {
            // Up to 3 P_DIFF bytes, each with N=1 when another follows.
            var count = 0
            while true {
                guard let diff = next() else { return .failure(.truncatedDescriptor) }
                count += 1
                if diff & 0x01 == 0 { break }
                if count == 3 { return .failure(.truncatedDescriptor) }
            }
        }
        if b0 & 0x02 != 0 {
            d.hasScalabilityStructure = true
            guard skipScalabilityStructure(payload, &i) else { return .failure(.truncatedScalability) }
        }
        return .success((d, i - payload.startIndex))
    }

    /// RFC 9628 §4.2.1: N_S|Y|G, then per-layer sizes (Y), then the picture group description (G).
    private static func skipScalabilityStructure(_ p: ArraySlice<UInt8>, _ i: inout Int) -> Bool {
        guard i < p.endIndex else { return false }
        let header = p[i]; i += 1
        let layers = Int(header >> 5) + 1
        if header & 0x10 != 0 {
            guard p.endIndex - i >= 4 * layers else { return false }
            i += 4 * layers
        }
        if header & 0x08 != 0 {
            guard i < p.endIndex else { return false }
            let groups = Int(p[i]); i += 1
            for _ in 0..<groups {
                guard i < p.endIndex else { return false }
                let references = Int(p[i] >> 2 & 0x03); i += 1
                guard p.endIndex - i >= references else { return false }
                i += references
            }
        }
        return true
    }
}

/// VP9 packetizer (RFC 9628), non-flexible mode, one spatial layer: B on the first payload, E on
/// the last, P from the frame's uncompressed header, a 15-bit picture ID increasing per frame.
package struct VP9Packetizer: Packetizer {
    /// The picture ID the next frame gets.
    package private(set) var nextPictureID: UInt16

    /// A packetizer whose first frame gets `firstPictureID` (masked to 15 bits).
    package init(firstPictureID: UInt16 = 0) { nextPictureID = firstPictureID & 0x7FFF }

    /// True when the VP9 uncompressed header says KEY_FRAME (VP9 bitstream spec §6.2: frame_marker,
    /// profile bits, a reserved bit for profile 3, show_existing_frame, frame_type = 0).
    package static func isKeyframe(_ frame: some Collection<UInt8>) -> Bool {
        guard let b = frame.first, b >> 6 == 2 else { return false }
        let profile = (b >> 5 & 1) | (b >> 4 & 1) << 1
        var bit = profile == 3 ? 5 : 4  // bit index from the MSB of show_existing_frame
        let showExisting = b >> (7 - bit) & 1
        if showExisting == 1 { return false }
        bit += 1
        return b >> (7 - bit) & 1 == 0
    }

    /// The frame's payloads, each a 3-byte descriptor plus up to `maxPayloadSize - 3` frame bytes.
    package mutating func packetize(_ frame: [UInt8], maxPayloadSize: Int) -> [[UInt8]] {
        let room = maxPayloadSize - 3
        guard !frame.isEmpty, room > 0 else { return [] }
        let id = nextPictureID
        nextPictureID = (nextPictureID + 1) & 0x7FFF
        let inter = !Self.isKeyframe(frame)
        var out: [[UInt8]] = []
        var offset = 0
        while offset < frame.count {
            let n = min(room, frame.count - offset)
            var payload = VP9Descriptor(interPicture: inter, beginning: offset == 0, end: offset + n == frame.count, pictureID: id).bytes
            payload.append(contentsOf: frame[offset..<offset + n])
            out.append(payload)
            offset += n
        }
        return out
    }
}

/// VP9 depacketizer (RFC 9628): strips descriptors and concatenates the VP9 data of a picture.
package struct VP9Depacketizer: Depacketizer {
    /// A depacketizer.
    package init() {}

    /// False: a picture spans payloads up to the marker.
    package var oneFramePerPayload: Bool { false }

    /// `.yes` when B=1 on the lowest spatial layer (or without layer indices).
    package func frameStart(_ payload: ArraySlice<UInt8>) -> FrameStart {
        guard case .success(let (d, _)) = VP9Descriptor.parse(payload) else { return .no }
        return d.beginning && (d.spatialLayer ?? 0) == 0 ? .yes : .no
    }

    /// The picture; keyframe when the first payload has P=0 (RFC 9628 §4.2).
    package func depacketize(_ payloads: [ArraySlice<UInt8>]) -> DepacketizeResult {
        var frame: [UInt8] = []
        var key = false
        for (i, p) in payloads.enumerated() {
            let d: VP9Descriptor, length: Int
            switch VP9Descriptor.parse(p) {
            case .failure(.truncatedDescriptor): return .dropped(reason: PayloadDropReason.vp9TruncatedDescriptor)
            case .failure(.truncatedScalability): return .dropped(reason: PayloadDropReason.vp9TruncatedScalability)
            case .success(let r): (d, length) = r
            }
            if i == 0 {
                guard d.beginning else { return .dropped(reason: PayloadDropReason.vp9NoFrameStart) }
                key = !d.interPicture
            }
            if i == payloads.count - 1, !d.end { return .dropped(reason: PayloadDropReason.vp9NoFrameEnd) }
            guard length < p.count else { return .dropped(reason: PayloadDropReason.vp9EmptyPayload) }
            frame.append(contentsOf: p.dropFirst(length))
        }
        guard !frame.isEmpty else { return .dropped(reason: PayloadDropReason.vp9EmptyPayload) }
        return .frame(frame, isKeyframe: key)
    }
}
