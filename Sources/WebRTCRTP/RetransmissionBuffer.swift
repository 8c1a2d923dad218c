import WebRTCCore

/// A bounded history of sent RTP packets by sequence number, to answer NACKs (RFC 4585 §6.2.1).
///
/// A ring of `capacity` slots indexed by sequence number modulo the capacity: inserting overwrites
/// the oldest packet in that slot, so memory never exceeds `capacity` packets. A lookup succeeds
/// only when the slot still holds exactly that sequence number and is not older than `maxAge`.
package struct RetransmissionBuffer: Sendable {
    private struct Slot {
        var packet: RTPPacket
        var sentAt: Instant
    }

    /// Number of packets kept.
    package let capacity: Int
    /// Packets sent longer ago than this are not retransmitted.
    package let maxAge: Duration
    private var slots: [Slot?]

    /// A buffer of `capacity` packets (clamped to 1…32768, so that a slot never aliases a sequence
    /// number less than half the 16-bit space away) retransmitting packets up to `maxAge` old.
    package init(capacity: Int = 1024, maxAge: Duration = .seconds(2)) {
        self.capacity = min(max(1, capacity), 0x8000)
        self.maxAge = maxAge
        slots = Array(repeating: nil, count: self.capacity)
    }

    /// Stores `packet` sent at `now` (replacing whatever shared its slot).
    package mutating func insert(_ packet: RTPPacket, sentAt now: Instant) {
        slots[Int(packet.sequenceNumber) % capacity] = Slot(packet: packet, sentAt: now)
    }

    /// The packet with `sequenceNumber`, nil if it was overwritten, never stored or too old at `now`.
    package func packet(sequenceNumber: UInt16, at now: Instant) -> RTPPacket? {
        guard let slot = slots[Int(sequenceNumber) % capacity], slot.packet.sequenceNumber == sequenceNumber,
              now - slot.sentAt <= maxAge else { return nil }
        return slot.packet
    }

    /// Number of packets currently stored.
    package var count: Int { slots.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
}
