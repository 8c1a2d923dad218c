import WebRTCSCTP

/// The data channels of one connection, by the handle the engine gave each (stable for the
/// channel's life) and by SCTP stream id once one is assigned.
struct ChannelRegistry {
    struct Record {
        var parameters: DataChannelParameters
        var streamID: UInt16?
        /// Created before the association existed: opened when it is created.
        var pending: Bool
    }

    private(set) var records: [Int: Record] = [:]
    private var byStream: [UInt16: Int] = [:]
    /// Handles the engine gives (remote channels, and local ones created without a handle); a
    /// driver that names its own channels uses numbers below this.
    private var nextHandle = 1 << 32

    func contains(handle: Int) -> Bool { records[handle] != nil }

    mutating func add(_ parameters: DataChannelParameters, streamID: UInt16?, pending: Bool, handle given: Int? = nil) -> Int {
        let handle = given ?? nextHandle
        if given == nil { nextHandle += 1 }
        records[handle] = Record(parameters: parameters, streamID: streamID, pending: pending)
        if let streamID { byStream[streamID] = handle }
        return handle
    }

    func handle(forStream id: UInt16) -> Int? { byStream[id] }
    func streamID(of handle: Int) -> UInt16? { records[handle]?.streamID }
    func contains(streamID: UInt16) -> Bool { byStream[streamID] != nil }
    subscript(handle: Int) -> Record? { records[handle] }

    mutating func assign(_ id: UInt16, to handle: Int) {
        records[handle]?.streamID = id
        records[handle]?.pending = false
        byStream[id] = handle
    }

    /// Channels whose SCTP-side buffered amount may be non-zero: published after each drive.
    private(set) var buffering = Set<Int>()

    mutating func setBuffering(_ handle: Int, _ on: Bool) {
        if on { buffering.insert(handle) } else { buffering.remove(handle) }
    }

    var pendingHandles: [Int] { records.filter(\.value.pending).map(\.key).sorted() }
    var allHandles: [Int] { records.keys.sorted() }

    @discardableResult
    mutating func remove(_ handle: Int) -> Record? {
        guard let r = records.removeValue(forKey: handle) else { return nil }
        if let id = r.streamID, byStream[id] == handle { byStream.removeValue(forKey: id) }
        buffering.remove(handle)
        return r
    }

    mutating func removeAll() -> [Int] {
        let all = allHandles
        records.removeAll()
        byStream.removeAll()
        buffering.removeAll()
        return all
    }
}
