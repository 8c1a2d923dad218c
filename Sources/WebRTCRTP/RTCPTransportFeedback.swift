import WebRTCCore

/// Transport-wide congestion control feedback (RTPFB, PT 205, FMT 15),
/// draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.
///
/// The model is one entry per sequence number from `baseSequenceNumber`: nil for a packet not
/// received, otherwise its receive delta in 250 µs ticks relative to the previous received packet
/// (the first one relative to `referenceTime`). Serialisation picks the chunk forms; parsing accepts
/// run-length chunks and both status-vector forms.
package struct RTCPTransportFeedback: Sendable, Equatable {
    /// The feedback message type in the count field.
    package static let format: UInt8 = 15
    /// Duration of one receive-delta tick.
    package static let deltaTick = Duration.microseconds(250)
    /// Duration of one reference-time unit.
    package static let referenceTimeUnit = Duration.milliseconds(64)

    /// The sender of the feedback.
    package var senderSSRC: UInt32
    /// The media source (usually the first SSRC of the transport).
    package var mediaSSRC: UInt32
    /// The transport-wide sequence number of the first packet described.
    package var baseSequenceNumber: UInt16
    /// Reference time in multiples of 64 ms: a signed 24-bit value.
    package var referenceTime: Int32
    /// Counts feedback packets sent, wrapping at 256.
    package var feedbackPacketCount: UInt8
    /// Receive deltas in 250 µs ticks per packet, nil when not received (at most 65535 entries written).
    package var deltas: [Int16?]

    /// A feedback packet with every field given.
    package init(senderSSRC: UInt32, mediaSSRC: UInt32, baseSequenceNumber: UInt16, referenceTime: Int32,
                 feedbackPacketCount: UInt8, deltas: [Int16?]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.baseSequenceNumber = baseSequenceNumber
        self.referenceTime = referenceTime
        self.feedbackPacketCount = feedbackPacketCount
        self.deltas = deltas
    }

    /// The per-packet status symbols (§3.1.1); the value 3 is reserved.
    enum Symbol: UInt8 {
        /// Packet not received: no delta.
        case notReceived = 0
        /// Received with a delta of 0…255 ticks: a 1-byte delta.
        case smallDelta = 1
        /// Received with a negative or larger delta: a 2-byte signed delta.
        case largeDelta = 2
    }

    /// The symbol that encodes `delta`.
    static func symbol(_ delta: Int16?) -> Symbol {
        guard let d = delta else { return .notReceived }
        return (0...255).contains(d) ? .smallDelta : .largeDelta
    }

    /// The sequence numbers reported received with their absolute receive offsets in ticks from the
    /// reference time (deltas accumulated).
    package var received: [(sequenceNumber: UInt16, ticks: Int64)] {
        var out: [(UInt16, Int64)] = []
        var t: Int64 = 0
        for (i, d) in deltas.enumerated() {
            guard let d else { continue }
            t += Int64(d)
            out.append((baseSequenceNumber &+ UInt16(truncatingIfNeeded: i), t))
        }
        return out
    }

    /// Parses the body after the common header.
    package init(body: ArraySlice<UInt8>) throws(RTCPBodyError) {
        var r = ByteReader(body)
        guard let sender = r.u32(), let media = r.u32(), let base = r.u16(), let count = r.u16(), let word = r.u32() else {
            throw .truncated
        }
        senderSSRC = sender
        mediaSSRC = media
        baseSequenceNumber = base
        referenceTime = Int32(bitPattern: word) >> 8  // signed 24 bits
        feedbackPacketCount = UInt8(word & 0xFF)
        let total = Int(count)

        // Chunks until `total` statuses are known; a chunk may describe more than remain (ignored).
        // Each chunk is 2 bytes and covers at least one status, so the array is bounded by `total`.
        var symbols: [Symbol] = []
        symbols.reserveCapacity(min(total, 8 * r.remaining))
        while symbols.count < total {
            guard let chunk = r.u16() else { throw .truncated }
            let left = total - symbols.count
            if chunk & 0x8000 == 0 {
                // Run-length chunk: T=0, 2-bit symbol, 13-bit run length.
                guard let s = Symbol(rawValue: UInt8(chunk >> 13 & 0x3)) else { throw .malformed }
                let run = Int(chunk & 0x1FFF)
                guard run > 0 else { throw .malformed }
                symbols.append(contentsOf: repeatElement(s, count: min(run, left)))
            } else if chunk & 0x4000 == 0 {
                // Status vector, S=0: 14 one-bit symbols (not received / small delta).
                for i in 0..<min(14, left) { symbols.append(chunk >> (13 - i) & 1 == 0 ? .notReceived : .smallDelta) }
            } else {
                // Status vector, S=1: 7 two-bit symbols.
                for i in 0..<min(7, left) {
                    guard let s = Symbol(rawValue: UInt8(chunk >> (12 - 2 * i) & 0x3)) else { throw .malformed }
                    symbols.append(s)
                }
            }
        }
        var list: [Int16?] = []
        list.reserveCapacity(total)
        for s in symbols {
            switch s {
            case .notReceived: list.append(nil)
            case .smallDelta:
                guard let d = r.u8() else { throw .truncated }
                list.append(Int16(d))
            case .largeDelta:
                guard let d = r.u16() else { throw .truncated }
                list.append(Int16(bitPattern: d))
            }
        }
        deltas = list
    }

    /// Writes the whole packet, header included.
    package func write(into w: inout ByteWriter) {
        let list = deltas.prefix(0xFFFF)
        let symbols = list.map(Self.symbol)
        RTCPHeader.write(into: &w, count: Self.format, type: RTCPHeader.transportFeedback) { w in
            w.u32(senderSSRC)
            w.u32(mediaSSRC)
            w.u16(baseSequenceNumber)
            w.u16(UInt16(list.count))
            w.u32(UInt32(bitPattern: referenceTime) << 8 | UInt32(feedbackPacketCount))
            for chunk in Self.chunks(symbols) { w.u16(chunk) }
            for d in list {
                guard let d else { continue }
                if Self.symbol(d) == .smallDelta { w.u8(UInt8(d)) } else { w.u16(UInt16(bitPattern: d)) }
            }
        }
    }

    /// Encodes status symbols as chunks: a run-length chunk for a run of 14 or more (or for what is
    /// left when it is one run), a one-bit vector when the next 14 symbols have no large delta,
    /// otherwise a two-bit vector of 7.
    static func chunks(_ symbols: [Symbol]) -> [UInt16] {
        var out: [UInt16] = []
        var i = 0
        while i < symbols.count {
            let left = symbols.count - i
            var run = 1
            while run < min(left, 0x1FFF), symbols[i + run] == symbols[i] { run += 1 }
            if run >= 14 || run == left {
                out.append(UInt16(symbols[i].rawValue) << 13 | UInt16(run))
                i += run
            } else if symbols[i..<i + min(14, left)].allSatisfy({ $0 != .largeDelta }) {
                var chunk: UInt16 = 0x8000
                for k in 0..<min(14, left) where symbols[i + k] == .smallDelta { chunk |= 1 << (13 - k) }
                out.append(chunk)
                i += min(14, left)
            } else {
                var chunk: UInt16 = 0xC000
                for k in 0..<min(7, left) { chunk |= UInt16(symbols[i + k].rawValue) << (12 - 2 * k) }
                out.append(chunk)
                i += min(7, left)
            }
        }
        return out
    }
}
