import WebRTCSDP

/// An offer or answer we created and may still apply: its text (what the application saw, to
/// compare in `setLocalDescription`) and its model.
package struct CreatedDescription: Sendable {
    package var type: SdpType
    package var text: String
    package var sections: [LocalMediaSection]
}

/// A description in effect (current or pending, local or remote), as an SDP model. Local ones
/// also keep the sections we wrote; candidates are appended to the model in place (O(1)).
package struct AppliedDescription: Sendable {
    package var type: SdpType
    package var model: SessionDescription
    package var sections: [LocalMediaSection] = []

    /// The text at the API boundary.
    package var text: String { model.serialize() }
}

/// The four descriptions the W3C API exposes.
package struct DescriptionSet: Sendable {
    package var currentLocal: AppliedDescription?
    package var pendingLocal: AppliedDescription?
    package var currentRemote: AppliedDescription?
    package var pendingRemote: AppliedDescription?
    /// Whether the remote's `a=ice-options` token list holds "trickle" (nil without a remote description).
    package var remoteCanTrickle: Bool?

    package init(currentLocal: AppliedDescription? = nil, pendingLocal: AppliedDescription? = nil,
                 currentRemote: AppliedDescription? = nil, pendingRemote: AppliedDescription? = nil, remoteCanTrickle: Bool? = nil) {
        self.currentLocal = currentLocal
        self.pendingLocal = pendingLocal
        self.currentRemote = currentRemote
        self.pendingRemote = pendingRemote
        self.remoteCanTrickle = remoteCanTrickle
    }
}
