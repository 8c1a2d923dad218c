import WebRTCDTLS
import WebRTCICE

/// What an engine is created with. Everything here is plain data: the driver translates the
/// public `RTCConfiguration` into it.
package struct EngineConfiguration: Sendable {
    /// DTLS certificates (the first one is used); their SHA-256 fingerprints go into our SDP.
    package var certificates: [DTLSCertificate]
    /// ICE agent settings: servers, relay-only, timers (tests shorten them).
    package var ice: ICEAgentConfiguration
    /// `a=max-message-size` we advertise.
    package var maxMessageSize: UInt64 = 262_144
    /// Receive flow control: delivered messages count against a per-connection budget until the
    /// driver reports them read with `consumed(bytes:on:now:)`; past the budget SCTP stops
    /// reading, its window closes and the remote sender is held back.
    package var receiveFlowControl = true
    /// Bytes of delivered, unread messages allowed per connection before SCTP stops reading.
    package var receiveBudget = 4 << 20

    package init(certificates: [DTLSCertificate], ice: ICEAgentConfiguration = ICEAgentConfiguration(), maxMessageSize: UInt64 = 262_144) {
        self.certificates = certificates
        self.ice = ice
        self.maxMessageSize = maxMessageSize
    }
}
