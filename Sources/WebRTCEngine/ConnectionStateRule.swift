/// webrtc-pc §4.4.3 "update the connection state" as a pure function of the transport states.
package enum ConnectionStateRule {
    package static func aggregate(closed: Bool, ice: IceConnectionState, dtls: DtlsState) -> ConnectionState {
        if closed { return .closed }
        if ice == .failed || dtls == .failed { return .failed }
        if ice == .disconnected { return .disconnected }
        if (ice == .new || ice == .closed) && (dtls == .new || dtls == .closed) { return .new }
        // "connected": every transport connected, completed or closed (a remote close_notify
        // closes DTLS while ICE stays up).
        if (ice == .connected || ice == .completed) && (dtls == .connected || dtls == .closed) { return .connected }
        return .connecting
    }
}
