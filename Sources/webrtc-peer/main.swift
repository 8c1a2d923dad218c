import Foundation
import WebRTC

_ = processStart  // globals are lazy: pin the start time before anything else runs

// The interop peer of docs/INTEROP.md: signaling on stdio, logs on stderr.
let options = parseOptionsOrExit()
if !options.unrecognized.isEmpty {
    log("ignoring unrecognized arguments: \(options.unrecognized.joined(separator: " "))")
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
