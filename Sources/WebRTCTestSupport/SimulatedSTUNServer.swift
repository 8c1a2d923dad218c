import WebRTCCore

/// A STUN server for simulations: answers a Binding request with a Binding success carrying
/// XOR-MAPPED-ADDRESS (RFC 8489 §14.2) of the source it saw. Built by hand so this module needs
/// only WebRTCCore; anything that is not a Binding request is ignored.
package final class SimulatedSTUNServer: SimulatedService {
    package private(set) var requests = 0

    package init() {}

    package func handle(_ bytes: [UInt8], from: TransportAddress, to: TransportAddress, now: Instant, network: SimulatedNetwork) {
        guard bytes.count >= 20, bytes[0] == 0x00, bytes[1] == 0x01,
              bytes[4] == 0x21, bytes[5] == 0x12, bytes[6] == 0xA4, bytes[7] == 0x42 else { return }
        requests += 1
        let tid = Array(bytes[8..<20])
        let mask: [UInt8] = [0x21, 0x12, 0xA4, 0x42] + tid
        let ip = from.ip.bytes
        var value: [UInt8] = [0, ip.count == 4 ? 1 : 2, UInt8(from.port >> 8) ^ 0x21, UInt8(from.port & 0xFF) ^ 0x12]
        for (i, b) in ip.enumerated() { value.append(b ^ mask[i]) }
        var w = ByteWriter()
        w.u16(0x0101)
        w.u16(UInt16(4 + value.count))
        w.u32(0x2112_A442)
        w.append(tid)
        w.u16(0x0020)
        w.u16(UInt16(value.count))
        w.append(value)
        network.send(from: to, to: from, bytes: w.bytes, now: now)
    }
}
