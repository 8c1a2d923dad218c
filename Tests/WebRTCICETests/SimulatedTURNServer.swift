import WebRTCCore
import WebRTCSTUN
import WebRTCTestSupport

/// A minimal TURN/UDP server (RFC 8656) for simulations: long-term credentials with a 401
/// challenge, Allocate, Refresh, CreatePermission, ChannelBind, Send/Data indications, ChannelData.
final class SimulatedTURNServer: SimulatedService {
    let address: TransportAddress
    let username: String, password: String
    let realm = "sim.example"
    var nonce = "nonce-1"
    var key: [UInt8] { STUNCrypto.longTermKey(username: username, realm: realm, password: password) }
    private let random = RandomSource(seed: 99)
    private var nextPort: UInt16 = 50000

    final class Allocation {
        let client: TransportAddress
        let relayed: TransportAddress
        var permissions: Set<IPAddress> = []
        var channels: [UInt16: TransportAddress] = [:]
        init(client: TransportAddress, relayed: TransportAddress) { self.client = client; self.relayed = relayed }
    }
    private(set) var allocations: [Allocation] = []
    private(set) var channelDataRelayed = 0, sendIndicationsRelayed = 0

    init(address: TransportAddress, username: String, password: String) {
        self.address = address
        self.username = username
        self.password = password
    }

    func handle(_ bytes: [UInt8], from: TransportAddress, to: TransportAddress, now: Instant, network: SimulatedNetwork) {
        if to != address {
            relayFromPeer(bytes, from: from, to: to, now: now, network: network)
            return
        }
        let alloc = allocations.first { $0.client == from }
        if let cd = TURNChannelData.decode(bytes) {
            guard let a = alloc, let peer = a.channels[cd.channel] else { return }
            channelDataRelayed += 1
            network.send(from: a.relayed, to: peer, bytes: cd.data, now: now)
            return
        }
        guard let m = STUNMessage.decode(bytes) else { return }
        if m.cls == .indication, m.method == .send {
            guard let a = alloc, let peer = m.xorPeerAddress, let data = m.data, a.permissions.contains(peer.ip) else { return }
            sendIndicationsRelayed += 1
            network.send(from: a.relayed, to: peer, bytes: data, now: now)
            return
        }
        guard m.cls == .request else { return }
        guard m.hasIntegrity, m.verifyIntegrity(key: key), m.username == username else {
            reply(m, error: 401, to: from, signed: false, now: now, network: network)
            return
        }
        switch m.method {
        case .allocate:
            let a: Allocation
            if let existing = alloc { a = existing } else {
                a = Allocation(client: from, relayed: TransportAddress(ip: address.ip, port: nextPort))
                nextPort += 1
                allocations.append(a)
                network.attachService(at: a.relayed, self)
            }
            reply(m, attributes: [.xorAddress(.xorRelayedAddress, a.relayed, transactionID: m.transactionID),
                                  .xorAddress(.xorMappedAddress, from, transactionID: m.transactionID), .lifetime(600)],
                  to: from, now: now, network: network)
        case .refresh:
            if m.lifetime == 0, let a = alloc {
                network.detachService(at: a.relayed)
                allocations.removeAll { $0 === a }
            }
            reply(m, attributes: [.lifetime(m.lifetime ?? 600)], to: from, now: now, network: network)
        case .createPermission:
            guard let a = alloc, let peer = m.xorPeerAddress else { return reply(m, error: 437, to: from, signed: true, now: now, network: network) }
            a.permissions.insert(peer.ip)
            reply(m, attributes: [], to: from, now: now, network: network)
        case .channelBind:
            guard let a = alloc, let peer = m.xorPeerAddress, let n = m.channelNumber else { return reply(m, error: 400, to: from, signed: true, now: now, network: network) }
            a.channels[n] = peer
            a.permissions.insert(peer.ip)
            reply(m, attributes: [], to: from, now: now, network: network)
        default:
            reply(m, error: 400, to: from, signed: true, now: now, network: network)
        }
    }

    private func relayFromPeer(_ bytes: [UInt8], from peer: TransportAddress, to relayed: TransportAddress, now: Instant, network: SimulatedNetwork) {
        guard let a = allocations.first(where: { $0.relayed == relayed }), a.permissions.contains(peer.ip) else { return }
        if let (n, _) = a.channels.first(where: { $0.value == peer }) {
            network.send(from: address, to: a.client, bytes: TURNChannelData(channel: n, data: bytes).encode(), now: now)
        } else {
            var m = STUNMessage(method: .data, cls: .indication, random: random)
            m.attributes = [.xorAddress(.xorPeerAddress, peer, transactionID: m.transactionID), .data(bytes)]
            network.send(from: address, to: a.client, bytes: m.encode(), now: now)
        }
    }

    private func reply(_ req: STUNMessage, attributes: [STUNAttribute], to: TransportAddress, now: Instant, network: SimulatedNetwork) {
        let res = STUNMessage(method: req.method, cls: .successResponse, transactionID: req.transactionID, attributes: attributes)
        network.send(from: address, to: to, bytes: res.encode(integrityKey: key, fingerprint: true), now: now)
    }

    private func reply(_ req: STUNMessage, error: Int, to: TransportAddress, signed: Bool, now: Instant, network: SimulatedNetwork) {
        var attrs: [STUNAttribute] = [.errorCode(error, reason: "err")]
        if error == 401 { attrs += [.realm(realm), .nonce(nonce)] }
        let res = STUNMessage(method: req.method, cls: .errorResponse, transactionID: req.transactionID, attributes: attrs)
        network.send(from: address, to: to, bytes: res.encode(integrityKey: signed ? key : nil, fingerprint: true), now: now)
    }
}
