import Testing
import WebRTCCore
@testable import WebRTCSCTP

@Suite(.serialized) struct SCTPSuite {}

extension SCTPSuite {
    @Suite(.serialized) struct Connect {
        @Test func connectsInMemory() throws {
            let pair = try AssociationPair(seed: 1)
            #expect(pair.connect())
            #expect(pair.a.state == .connected)
            #expect(pair.b.state == .connected)
            #expect(pair.eventsA.filter { $0 == .connected }.count == 1)
        }

        @Test func differentPorts() throws {
            let pair = try AssociationPair(seed: 2, aPort: 5000, bPort: 5001)
            #expect(pair.connect())
        }

        @Test func openChannelAndExchange() throws {
            let pair = try AssociationPair(seed: 3)
            let id = try pair.a.openChannel(DataChannelParameters(label: "chat", protocol: "p"))
            #expect(id == 0)
            #expect(pair.connect())
            #expect(pair.run { pair.eventsA.contains(.channelOpen(id: 0)) })
            #expect(pair.eventsB.contains(.remoteChannel(id: 0, DataChannelParameters(label: "chat", protocol: "p", id: 0))))
            try pair.a.send(.text("hello"), on: id)
            try pair.b.send(.binary([1, 2, 3]), on: id)
            #expect(pair.run {
                AssociationPair.messages(pair.eventsB, on: 0) == [.text("hello")]
                    && AssociationPair.messages(pair.eventsA, on: 0) == [.binary([1, 2, 3])]
            })
        }
    }
}
