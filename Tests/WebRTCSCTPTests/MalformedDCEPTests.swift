import Testing
import WebRTCCore
@testable import WebRTCSCTP

extension SCTPSuite {
    @Suite(.serialized) struct MalformedDCEP {
        /// Sends raw bytes with PPID 50 on stream `stream` from `x`, bypassing the codec.
        static func inject(_ bytes: [UInt8], stream: UInt16, from x: SCTPAssociation) throws {
            let channel = x.channels[stream] ?? Channel(id: stream, parameters: .init(label: "raw", negotiated: true, id: stream),
                                                        origin: .negotiated)
            x.channels[stream] = channel
            x.enqueue(OutgoingMessage(bytes: bytes, ppid: .dcep, countsAsUserBytes: false, unordered: false,
                                      prPolicy: 0, prValue: 0), on: channel)
            x.feedAndDrain()
        }

        @Test func badOpensAreDroppedAndLaterChannelsWork() throws {
            let pair = try AssociationPair(seed: 40)
            #expect(pair.connect())
            // aiortc-style character-counted lengths with a non-ASCII protocol.
            try Self.inject([0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0x61, 0xC3, 0xA9], stream: 10, from: pair.a)
            // Overrunning label length.
            try Self.inject([0x03, 0x00, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0x61], stream: 12, from: pair.a)
            // Unknown DCEP message type.
            try Self.inject([0x09, 1, 2, 3], stream: 14, from: pair.a)
            // Wrong parity: the DTLS client (a) must use even ids.
            try Self.inject(DCEPMessage.open(DCEPOpen(channelType: .reliable, label: "odd")).encode(), stream: 5, from: pair.a)
            // A valid channel afterwards, then an OPEN on the stream it already uses.
            let good = try pair.a.openChannel(.init(label: "good"))
            #expect(pair.run { pair.eventsA.contains(.channelOpen(id: good)) })
            try Self.inject(DCEPMessage.open(DCEPOpen(channelType: .reliable, label: "dup")).encode(), stream: good, from: pair.a)
            try pair.a.send(.text("still fine"), on: good)
            #expect(pair.run { AssociationPair.messages(pair.eventsB, on: good) == [.text("still fine")] })
            let remote = pair.eventsB.compactMap { if case .remoteChannel(let id, let p) = $0 { (id, p.label) } else { nil } }
            #expect(remote.map(\.0) == [good])
            #expect(pair.b.drops["dcep.lengthMismatch"] == 2)
            #expect(pair.b.drops["dcep.unknownType"] == 1)
            #expect(pair.b.drops["dcep.wrongParity"] == 1)
            #expect(pair.b.drops["dcep.streamInUse"] == 1)
            #expect(pair.b.state == .connected)
        }
    }
}
