import WebRTCEngine

// The engine speaks its own enums (raw values are the W3C strings); these map them to the
// public `RTC…` types one to one.

extension RTCError {
    init(_ e: EngineError) {
        self.init(Name(rawValue: e.name.rawValue), e.message, detail: e.detail.map { Detail(rawValue: $0.rawValue) },
                  sdpLineNumber: e.sdpLineNumber, sctpCauseCode: e.sctpCauseCode, receivedAlert: e.receivedAlert, sentAlert: e.sentAlert)
    }
}

extension RTCSignalingState { init(_ s: SignalingState) { self.init(rawValue: s.rawValue)! } }
extension RTCIceGatheringState { init(_ s: GatheringState) { self.init(rawValue: s.rawValue)! } }
extension RTCIceConnectionState { init(_ s: IceConnectionState) { self.init(rawValue: s.rawValue)! } }
extension RTCPeerConnectionState { init(_ s: ConnectionState) { self.init(rawValue: s.rawValue)! } }
extension RTCDtlsTransportState { init(_ s: DtlsState) { self.init(rawValue: s.rawValue)! } }
extension RTCSctpTransportState { init(_ s: SctpState) { self.init(rawValue: s.rawValue)! } }

extension SdpType { init(_ t: RTCSdpType) { self.init(rawValue: t.rawValue)! } }

extension RTCSessionDescription {
    init?(_ d: AppliedDescription?) {
        guard let d else { return nil }
        self.init(type: RTCSdpType(rawValue: d.type.rawValue)!, sdp: d.text)
    }
}

extension RTCStatsValue {
    init(_ v: StatsValue) {
        switch v {
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .bool(let b): self = .bool(b)
        }
    }
}
