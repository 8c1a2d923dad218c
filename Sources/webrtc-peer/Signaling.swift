import Foundation
import Synchronization

/// One signaling line of the interop contract (docs/INTEROP.md).
struct SignalMessage: Sendable {
    var type: String
    var sdp: String?
    var candidate: String?
    var sdpMid: String?
    var sdpMLineIndex: Int?
}

/// The stdio signaling channel of the interop contract: one JSON object per line.
final class Signaling: Sendable {
    private let outLock = Mutex(())

    /// Writes one JSON line to stdout and flushes.
    func send(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        outLock.withLock { _ in
            FileHandle.standardOutput.write(data + Data([0x0A]))
        }
    }

    /// Lines read from stdin; the stream ends at EOF. Unknown types are passed on (the caller logs them).
    func lines() -> AsyncStream<SignalMessage> {
        let (stream, continuation) = AsyncStream<SignalMessage>.makeStream()
        let thread = Thread {
            while let line = readLine(strippingNewline: true) {
                guard !line.isEmpty else { continue }
                guard let data = line.data(using: .utf8),
                      let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let type = obj["type"] as? String else {
                    log("ignoring a line that is not a JSON object with a type: \(line.prefix(80))")
                    continue
                }
                continuation.yield(SignalMessage(type: type, sdp: obj["sdp"] as? String, candidate: obj["candidate"] as? String,
                                                 sdpMid: obj["sdpMid"] as? String, sdpMLineIndex: obj["sdpMLineIndex"] as? Int))
            }
            continuation.finish()
        }
        thread.start()
        return stream
    }
}

let processStart = Date()

/// Logs to stderr with the time since start.
func log(_ text: String) {
    let ms = Int(Date().timeIntervalSince(processStart) * 1000)
    FileHandle.standardError.write("[webrtc-peer +\(ms)ms] \(text)\n".data(using: .utf8)!)
}
