import Foundation
import Synchronization
import WebRTC

/// The offerer's scenarios of the interop contract (docs/INTEROP.md).
enum Scenarios {
    static let echoSizes = [1, 15, 1000, 16384, 65535, 65536, 262144]

    /// Sends 200 messages one at a time, alternating text and binary, and checks every echo.
    /// Returns the median round-trip time in milliseconds.
    static func echo(_ ch: RTCDataChannel, maxMessageSize: Double) async throws -> Double {
        var iterator = ch.messages.makeAsyncIterator()
        var rtts: [Double] = []
        for i in 0..<200 {
            let size = echoSizes[i % echoSizes.count]
            if Double(size) > maxMessageSize { continue }
            let message: RTCDataChannelMessage
            if i % 2 == 0 {
                let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
                message = .text(String(decoding: (0..<size).map { letters[($0 + i) % letters.count] }, as: UTF8.self))
            } else {
                message = .binary(Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }))
            }
            let start = DispatchTime.now().uptimeNanoseconds
            try ch.send(message)
            guard let reply = await iterator.next() else { throw ScenarioError("echo channel closed at message \(i)") }
            rtts.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            guard reply == message else { throw ScenarioError("echo \(i) (\(size) bytes) came back different") }
        }
        rtts.sort()
        return rtts.isEmpty ? 0 : (rtts[rtts.count / 2] * 1000).rounded() / 1000
    }

    /// Writes 64 KiB binary messages for `seconds` whenever `bufferedAmount` is under 4 MiB, into a
    /// channel the answerer never reads. Returns what left the sender's buffer: with receive flow
    /// control on the far side it stops growing once the answerer's budget and windows are full.
    static func sink(_ ch: RTCDataChannel, seconds: Double) async throws -> (accepted: Int, seconds: Double) {
        let message = Data(repeating: 0x5A, count: 64 * 1024)
        let start = DispatchTime.now().uptimeNanoseconds
        let end = start + UInt64(seconds * 1e9)
        var sent = 0
        while DispatchTime.now().uptimeNanoseconds < end {
            guard ch.readyState == .open else { throw ScenarioError("sink channel closed after \(sent) bytes") }
            if ch.bufferedAmount < 4 << 20 {
                try ch.send(message)
                sent += message.count
            } else {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (sent - ch.bufferedAmount, (elapsed * 1000).rounded() / 1000)
    }

    /// Sends `bytes` of pseudo-random binary, keeping bufferedAmount under 4 MiB, then `end`.
    static func bulk(_ ch: RTCDataChannel, bytes: Int, messageSize: Int) async throws -> (seconds: Double, count: Int) {
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in block.indices {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            block[i] = UInt8(truncatingIfNeeded: x)
        }
        // The stream is the 1 MiB block repeated; its hash is computed before the clock starts so
        // the timed part is sending only (the receiver hashes as the interop contract requires).
        let digest = SHA256Digest()
        var hashed = 0
        while hashed < bytes {
            let n = min(block.count, bytes - hashed)
            block.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            hashed += n
        }
        let expected = "received \(bytes) \(digest.hexDigest())"
        let replies = ch.messages
        let start = DispatchTime.now().uptimeNanoseconds
        var sent = 0
        var offset = 0
        while sent < bytes {
            let n = min(messageSize, bytes - sent)
            var chunk = [UInt8]()
            chunk.reserveCapacity(n)
            var need = n
            while need > 0 {
                let take = min(need, block.count - offset)
                chunk.append(contentsOf: block[offset..<offset + take])
                offset = (offset + take) % block.count
                need -= take
            }
            try await ch.write(.binary(Data(chunk)))
            sent += n
        }
        try ch.send("end")
        for await reply in replies {
            guard case .text(let text) = reply else { continue }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            guard text == expected else { throw ScenarioError("bulk reply \(text) != \(expected)") }
            return (seconds, bytes)
        }
        throw ScenarioError("bulk channel closed before the reply")
    }

    /// Opens 16 in-band and 10 negotiated channels, sends `hello` on each and checks the replies.
    static func channels(_ pc: RTCPeerConnection, negotiate: () async throws -> Void) async throws -> Int {
        let protocols = ["", "chat", "json", "ü-utf8"]
        var created: [RTCDataChannel] = []
        for i in 0..<16 {
            var o = RTCDataChannelInit(protocol: protocols[i % 4])
            switch i % 5 {
            case 1: o.ordered = false
            case 2: o.maxRetransmits = 0
            case 3: o.ordered = false; o.maxRetransmits = 3
            case 4: o.maxPacketLifeTime = 500
            default: break
            }
            created.append(try pc.createDataChannel("meta-\(i)", o))
        }
        for id in 900...909 {
            created.append(try pc.createDataChannel("meta-neg-\(id)", RTCDataChannelInit(protocol: "neg", negotiated: true, id: id)))
        }
        try await negotiate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for ch in created {
                group.addTask {
                    try await ch.waitUntilOpen()
                    var it = ch.messages.makeAsyncIterator()
                    try ch.send("hello")
                    guard case .text(let text)? = await it.next() else { throw ScenarioError("\(ch.label): no reply") }
                    let got = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
                    let want = try JSONSerialization.jsonObject(with: Data(Peer.describe(ch).utf8)) as? [String: Any] ?? [:]
                    guard canonical(got) == canonical(want) else {
                        throw ScenarioError("\(ch.label): remote sees \(text), created \(Peer.describe(ch))")
                    }
                }
            }
            try await group.waitForAll()
        }
        return created.count
    }
}

/// JSON text with sorted keys, for comparing two parsed objects.
func canonical(_ object: [String: Any]) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}
