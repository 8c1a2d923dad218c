import WebRTCCore

/// Collects RTP payloads across reordering and loss and emits whole frames, in sequence order.
///
/// Payloads are buffered by extended sequence number (16-bit wrap, RFC 3550 §A.1) within a window of
/// `window` sequence numbers behind the highest one seen. A frame is the run of consecutive payloads
/// sharing one timestamp from a frame start up to the marker bit (or up to a timestamp change when
/// the sender set no marker). A missing sequence number is given up on once the highest sequence
/// number is `window` past it (or at `flush()`); the frame it belonged to is dropped and the next
/// emitted frame has `gapBefore`. After a loss, payloads are discarded until the depacketizer
/// recognises one that starts a frame.
///
/// Memory is bounded: at most `window` payloads of at most `maxPayloadSize` bytes are buffered.
/// Once a frame has been emitted, a payload older than it is late and dropped.
package struct FrameAssembler<D: Depacketizer>: Sendable {
    /// The largest payload accepted; anything larger cannot have come in one UDP datagram.
    package static var maxPayloadSize: Int { 65_535 }

    /// The codec half that interprets payloads.
    package let depacketizer: D
    /// How many sequence numbers behind the highest one a missing payload is still waited for.
    package let window: Int
    /// Payloads and frames dropped, by `PayloadDropReason`.
    package private(set) var drops = DropCounters()

    private struct Buffered: Sendable {
        var ext: Int64
        var timestamp: UInt32
        var marker: Bool
        var payload: [UInt8]
    }

    /// Buffered payloads, sorted by extended sequence number, all in `next...highest`.
    private var buffer: [Buffered] = []
    private var highest: Int64?
    /// The extended sequence number of the first payload not yet emitted or given up on.
    private var next: Int64?
    private var needStart = true
    private var consumedAny = false
    private var pendingGap = false

    /// An assembler for `depacketizer` waiting at most `window` sequence numbers (at least 1) for
    /// a missing payload.
    package init(depacketizer: D, window: Int = 1024) {
        self.depacketizer = depacketizer
        self.window = max(1, min(window, 16_384))
    }

    /// The number of payloads currently buffered (never more than `window`).
    package var bufferedCount: Int { buffer.count }

    /// Takes one received payload and returns the frames it completed (often none).
    package mutating func push(sequenceNumber: UInt16, timestamp: UInt32, marker: Bool, payload: [UInt8]) -> [EncodedFrame] {
        guard payload.count <= Self.maxPayloadSize else {
            drops.drop(PayloadDropReason.tooLarge)
            return []
        }
        let ext: Int64
        if let h = highest {
            // RFC 3550 §A.1: the nearest extension of the 16-bit number to the highest one seen.
            ext = h + Int64(Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: h)))
        } else {
            ext = Int64(sequenceNumber)
        }
        if let n = next, ext < n {
            // Before the first frame leaves, an earlier payload moves the start back (reordered start).
            guard !consumedAny, let h = highest, h - ext < Int64(window) else {
                drops.drop(PayloadDropReason.late)
                return []
            }
            next = ext
        }
        if next == nil { next = ext }
        let index = insertionIndex(ext)
        if index < buffer.count, buffer[index].ext == ext {
            drops.drop(PayloadDropReason.duplicate)
            return []
        }
        buffer.insert(Buffered(ext: ext, timestamp: timestamp, marker: marker, payload: payload), at: index)
        highest = max(highest ?? ext, ext)
        return process(flushing: false)
    }

    /// Gives up on every missing payload: emits the complete frames still buffered and drops the rest.
    package mutating func flush() -> [EncodedFrame] {
        process(flushing: true)
    }

    private func insertionIndex(_ ext: Int64) -> Int {
        var lo = 0, hi = buffer.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if buffer[mid].ext < ext { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private mutating func process(flushing: Bool) -> [EncodedFrame] {
        var out: [EncodedFrame] = []
        while let n = next, let h = highest, let first = buffer.first {
            let mustAdvance = flushing || h - n >= Int64(window)
            if first.ext != n {
                // A hole at `n`: wait for it unless it has fallen out of the window.
                guard mustAdvance else { break }
                advance(to: first.ext, lost: true)
                continue
            }
            if needStart {
                let start = depacketizer.oneFramePerPayload ? .yes : depacketizer.frameStart(first.payload[...])
                if start != .yes {
                    drops.drop(PayloadDropReason.noFrameStart)
                    buffer.removeFirst()
                    advance(to: n + 1, lost: true)
                    continue
                }
            }
            var end: Int?
            var scanned = 0
            if depacketizer.oneFramePerPayload {
                end = 0
            } else {
                while scanned < buffer.count {
                    let p = buffer[scanned]
                    if p.ext != n + Int64(scanned) { break }
                    if p.timestamp != first.timestamp { end = scanned - 1; break }
                    if p.marker { end = scanned; break }
                    scanned += 1
                }
            }
            guard let last = end else {
                guard mustAdvance else { break }
                drops.drop(PayloadDropReason.incompleteFrame)
                buffer.removeFirst(scanned)
                advance(to: n + Int64(scanned), lost: true)
                continue
            }
            let payloads = buffer[0...last].map { $0.payload[...] }
            buffer.removeFirst(last + 1)
            advance(to: n + Int64(last) + 1, lost: false)
            switch depacketizer.depacketize(payloads) {
            case .frame(let bytes, let isKeyframe):
                out.append(EncodedFrame(bytes: bytes, timestamp: first.timestamp, isKeyframe: isKeyframe, gapBefore: pendingGap))
                pendingGap = false
            case .dropped(let reason):
                drops.drop(reason)
                pendingGap = true
            }
        }
        return out
    }

    private mutating func advance(to ext: Int64, lost: Bool) {
        next = ext
        consumedAny = true
        if lost {
            needStart = true
            pendingGap = true
        } else {
            needStart = false
        }
    }
}
