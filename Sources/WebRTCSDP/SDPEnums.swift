/// `a=setup` values (RFC 4145 §4, RFC 8842 §5.1).
package enum SDPSetupRole: String, Sendable, CaseIterable {
    /// Offerer: either role.
    case actpass
    /// Will initiate the DTLS connection (DTLS client).
    case active
    /// Will accept the DTLS connection (DTLS server).
    case passive
    /// Not now.
    case holdconn
}

/// Media direction attributes (RFC 8866 §6.7).
package enum SDPDirection: String, Sendable, CaseIterable {
    /// Send and receive.
    case sendrecv
    /// Send only.
    case sendonly
    /// Receive only.
    case recvonly
    /// Neither.
    case inactive
}
