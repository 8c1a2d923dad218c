import Testing
import WebRTCCore
@testable import WebRTCSCTP

extension SCTPSuite {
    @Suite(.serialized) struct Channels {
        @Test func sixChannelTypesAcrossDCEP() throws {
            let pair = try AssociationPair(seed: 10)
            #expect(pair.connect())
            var created: [UInt16: DataChannelParameters] = [:]
            for var p in DCEPCodec.parameterTable {
                let id = try pair.a.openChannel(p)
                p.id = id
                created[id] = p
            }
            #expect(pair.run { pair.eventsA.filter { if case .channelOpen = $0 { true } else { false } }.count == created.count })
            var seen: [UInt16: DataChannelParameters] = [:]
            for case .remoteChannel(let id, let p) in pair.eventsB { seen[id] = p }
            #expect(seen == created)
        }

        @Test func idParity() throws {
            let pair = try AssociationPair(seed: 11)
            #expect(pair.connect())
            let a1 = try pair.a.openChannel(.init(label: "a1")), a2 = try pair.a.openChannel(.init(label: "a2"))
            let b1 = try pair.b.openChannel(.init(label: "b1")), b2 = try pair.b.openChannel(.init(label: "b2"))
            #expect([a1, a2] == [0, 2])
            #expect([b1, b2] == [1, 3])
            #expect(pair.run { pair.eventsA.contains(.channelOpen(id: 2)) && pair.eventsB.contains(.channelOpen(id: 3)) })
            #expect(pair.eventsA.contains { if case .remoteChannel(1, _) = $0 { true } else { false } })
        }

        @Test func negotiatedChannelsUseNoDCEP() throws {
            let pair = try AssociationPair(seed: 12)
            let p = DataChannelParameters(label: "neg", negotiated: true, id: 42)
            #expect(try pair.a.openChannel(p) == 42)
            #expect(try pair.b.openChannel(p) == 42)
            #expect(throws: SCTPError.invalidParameters("negotiated channel without id")) {
                try pair.a.openChannel(DataChannelParameters(label: "x", negotiated: true))
            }
            #expect(throws: SCTPError.invalidParameters("id 42 in use")) { try pair.a.openChannel(p) }
            #expect(pair.connect())
            #expect(pair.run { pair.eventsA.contains(.channelOpen(id: 42)) && pair.eventsB.contains(.channelOpen(id: 42)) })
            try pair.a.send(.text("n"), on: 42)
            #expect(pair.run { AssociationPair.messages(pair.eventsB, on: 42) == [.text("n")] })
            #expect(!pair.eventsB.contains { if case .remoteChannel = $0 { true } else { false } })
        }

        @Test func sixteenChannelsAtOnce() throws {
            let pair = try AssociationPair(seed: 13)
            var ids: [UInt16] = []
            for i in 0..<16 { ids.append(try pair.a.openChannel(.init(label: "c\(i)"))) }
            for id in ids { try pair.a.send(.text("early \(id)"), on: id) }  // before ACK: must arrive
            #expect(pair.connect())
            #expect(pair.run { ids.allSatisfy { id in AssociationPair.messages(pair.eventsB, on: id) == [.text("early \(id)")] } })
            #expect(Set(ids).count == 16)
        }

        @Test(arguments: [0, 1, 1000, 65536, 262_144])
        func messageSizes(_ size: Int) throws {
            let pair = try AssociationPair(seed: 14)
            let id = try pair.a.openChannel(.init(label: "s"))
            #expect(pair.connect())
            let bytes = RandomSource(seed: UInt64(size)).bytes(size)
            let text = String(repeating: "é", count: size / 2)
            try pair.a.send(.binary(bytes), on: id)
            try pair.a.send(.text(text), on: id)
            #expect(pair.run { AssociationPair.messages(pair.eventsB, on: id).count == 2 })
            #expect(AssociationPair.messages(pair.eventsB, on: id) == [.binary(bytes), .text(text)])
        }

        @Test func tooLargeAgainstRemoteLimit() throws {
            let pair = try AssociationPair(seed: 15)
            let id = try pair.a.openChannel(.init(label: "s"))
            pair.a.maxMessageSize = 1000
            #expect(throws: SCTPError.tooLarge) { try pair.a.send(.binary([UInt8](repeating: 0, count: 1001)), on: id) }
            try pair.a.send(.binary([UInt8](repeating: 0, count: 1000)), on: id)
        }

        @Test func oversizedIncomingIsDroppedAndCounted() throws {
            let pair = try AssociationPair(seed: 16)
            let id = try pair.a.openChannel(.init(label: "s"))
            pair.b.maxReceiveMessageSize = 100_000
            #expect(pair.connect())
            try pair.a.send(.binary([UInt8](repeating: 1, count: 200_000)), on: id)
            try pair.a.send(.text("after"), on: id)
            #expect(pair.run { AssociationPair.messages(pair.eventsB, on: id) == [.text("after")] })
            #expect(pair.b.drops["sctp.messageTooLarge"] == 1)
        }

        @Test func closeChannelReachesRemote() throws {
            let pair = try AssociationPair(seed: 17)
            let id = try pair.a.openChannel(.init(label: "c"))
            #expect(pair.connect())
            try pair.a.send(.text("last words"), on: id)
            pair.a.closeChannel(id)
            #expect(throws: SCTPError.invalidState) { try pair.a.send(.text("x"), on: id) }
            #expect(pair.run { pair.eventsA.contains(.channelClosed(id: id)) && pair.eventsB.contains(.channelClosed(id: id)) })
            #expect(AssociationPair.messages(pair.eventsB, on: id) == [.text("last words")])
            #expect(pair.eventsB.firstIndex(of: .channelClosing(id: id))! < pair.eventsB.firstIndex(of: .channelClosed(id: id))!)
            #expect(!pair.eventsA.contains(.channelClosing(id: id)))
            // The id can be used again.
            #expect(try pair.a.openChannel(.init(label: "again")) == id)
            #expect(pair.run { pair.eventsA.filter { $0 == .channelOpen(id: id) }.count == 2 })
        }

        @Test func bufferedAmountAndLowEvent() throws {
            let pair = try AssociationPair(seed: 18)
            let id = try pair.a.openChannel(.init(label: "b"))
            #expect(pair.connect())
            #expect(pair.run { pair.eventsA.contains(.channelOpen(id: id)) })
            pair.a.setBufferedAmountLowThreshold(10_000, on: id)
            let chunk = [UInt8](repeating: 7, count: 64 * 1024)
            var total = 0
            for _ in 0..<64 {
                try pair.a.send(.binary(chunk), on: id)
                total += chunk.count
            }
            #expect(pair.a.bufferedAmount(of: id) == total)  // nothing acknowledged yet
            var lastSeen = total
            var monotone = true
            var distinct: Set<Int> = []
            #expect(pair.run {
                let amount = pair.a.bufferedAmount(of: id)
                distinct.insert(amount)
                if amount > lastSeen { monotone = false }
                lastSeen = amount
                return amount == 0 && AssociationPair.messages(pair.eventsB, on: id).count == 64
            })
            #expect(monotone)
            // It drains step by step as SACKs arrive, not all at once at the end.
            #expect(distinct.count > 10)
            #expect(pair.eventsA.filter { $0 == .bufferedAmountLow(id: id) }.count == 1)
            try pair.a.send(.text("four"), on: id)
            #expect(pair.a.bufferedAmount(of: id) == 4)
        }

        @Test func rejectsBadParameters() throws {
            let a = try SCTPAssociation(isDTLSClient: true)
            #expect(throws: SCTPError.self) { try a.openChannel(.init(label: "x", maxPacketLifeTime: 1, maxRetransmits: 1)) }
            #expect(throws: SCTPError.self) { try a.openChannel(.init(label: String(repeating: "x", count: 65536))) }
            #expect(throws: SCTPError.self) { try a.openChannel(.init(label: "x", negotiated: true, id: 65535)) }
            #expect(try a.openChannel(.init(label: String(repeating: "x", count: 65535))) == 0)
        }
    }
}
