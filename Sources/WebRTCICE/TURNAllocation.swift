import WebRTCCore

/// Client state of one TURN allocation (RFC 8656 §7–§12), reached over UDP or over a stream
/// (then `socket` is the stream's id); the relayed transport is UDP either way.
struct TURNAllocation {
    enum State: Equatable { case allocating, allocated, failed, closed }

    let id: Int
    var job: Int
    var url: String
    var socket: Int
    var server: TransportAddress
    var username: String
    var password: String
    /// How the server is reached; `.tcp`/`.tls` mean `socket` names an `ICEStream`.
    var transport: TURNTransport = .udp
    var realm: [UInt8]?
    var nonce: [UInt8]?
    /// MD5(username:realm:password) once the realm is known (RFC 8489 §9.2.2).
    var key: [UInt8]?
    var state: State = .allocating
    var authAttempts = 0
    var relayed: TransportAddress?
    var mapped: TransportAddress?
    var expiresAt: Instant?
    var refreshAt: Instant?
    var refreshInFlight = false
    var permissions: [Permission] = []
    var channels: [Channel] = []
    var nextChannel: UInt16 = 0x4000

    /// A permission for one peer IP (RFC 8656 §9: lasts 300 s; refreshed at 240 s).
    struct Permission {
        var ip: IPAddress
        var installed = false
        var inFlight = false
        var refreshAt: Instant
    }

    /// A channel binding for one peer (RFC 8656 §12: lasts 600 s; refreshed at 540 s).
    struct Channel {
        var peer: TransportAddress
        var number: UInt16
        var bound = false
        var inFlight = false
        var refreshAt: Instant
    }

    /// The channel bound to `peer`, ready for ChannelData.
    func boundChannel(for peer: TransportAddress) -> UInt16? {
        channels.first { $0.peer == peer && $0.bound }?.number
    }

    /// The peer bound to channel `number`.
    func peer(forChannel number: UInt16) -> TransportAddress? {
        channels.first { $0.number == number && $0.bound }?.peer
    }
}
