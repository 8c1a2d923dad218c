import Foundation
import WebRTC

_ = processStart  // globals are lazy: pin the start time before anything else runs

// The interop peer of ../shared/interop/PROTOCOL.md: signaling on stdio, logs on stderr.
guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write("usage: webrtc-peer --role offerer|answerer [--scenario echo|bulk|channels] [--bytes N] [--message-size N] [--stun URL] [--turn URL --turn-user U --turn-pass P] [--relay-only] [--timeout S]\n".data(using: .utf8)!)
    exit(2)
}
do {
    let peer = try Peer(options: options)
    let code = await peer.run()
    try? await Task.sleep(for: .milliseconds(50))  // let close_notify / ABORT leave
    exit(code)
} catch {
    log("cannot start: \(error)")
    if options.role == .offerer { print("{\"type\":\"result\",\"ok\":false,\"error\":\"cannot start\"}") }
    exit(1)
}
