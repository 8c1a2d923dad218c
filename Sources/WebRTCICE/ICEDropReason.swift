/// Reasons the agent gives `DropCounters` for input it refuses (the hardening ones; older
/// reasons are still spelled inline where they are counted).
package enum ICEDropReason {
    /// A signalled remote candidate identical (address, type, transport) to one of this generation.
    package static let duplicateRemoteCandidate = "ice.duplicateRemoteCandidate"
    /// A remote candidate beyond `maxRemoteCandidates` for the current generation.
    package static let tooManyRemoteCandidates = "ice.tooManyRemoteCandidates"
    /// A remote candidate with port 0.
    package static let remotePortZero = "ice.remotePortZero"
    /// A remote candidate at the limited broadcast address 255.255.255.255.
    package static let remoteBroadcast = "ice.remoteBroadcast"
    /// A remote candidate at a multicast address (224.0.0.0/4, ff00::/8).
    package static let remoteMulticast = "ice.remoteMulticast"
    /// A remote candidate at an unspecified address (0.0.0.0, ::).
    package static let remoteUnspecified = "ice.remoteUnspecified"
    /// A remote candidate at an IPv6 link-local address (fe80::/10) with no scope to send it on.
    package static let remoteLinkLocalWithoutScope = "ice.remoteLinkLocalWithoutScope"
    /// A non-STUN datagram from an address with no successful check and no authenticated request.
    package static let uncheckedSource = "ice.uncheckedSource"
}
