extension SCTPAssociation {
    /// Hands `bytes` to the receive path as if usrsctp had delivered one complete user message on
    /// `stream` with payload protocol identifier `ppid`: the same reassembly limit, PPID dispatch,
    /// DCEP handling and drop counting as a real message. For fuzzing and robustness tests, which
    /// need to feed crafted DCEP and data messages without building SCTP packets.
    package func receiveMessageForTesting(_ bytes: [UInt8], stream: UInt16, ppid: UInt32) {
        receiveData(bytes, stream: stream, ppid: ppid, endOfRecord: true)
    }
}
