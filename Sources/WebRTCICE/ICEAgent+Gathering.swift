import WebRTCCore
import WebRTCSTUN

extension ICEAgent {
    /// Starts one job per configured server URL for this socket (same address family only).
    func startServerJobs(socket: Int, address: TransportAddress, now: Instant) {
        for server in configuration.servers {
            for url in server.urls {
                guard let u = ICEServerURL(url) else {
                    candidateError(url: url, socketAddress: address, code: 701, text: "Unparsable ICE server URL")
                    continue
                }
                let ip: IPAddress?
                if let literal = IPAddress(u.host) {
                    ip = literal
                } else {
                    ip = configuration.resolver?(u.host).first { $0.isIPv4 == address.ip.isIPv4 }
                    if ip == nil {
                        candidateError(url: url, socketAddress: address, code: 701, text: "Could not resolve \(u.host)")
                        continue
                    }
                }
                guard let serverIP = ip, serverIP.isIPv4 == address.ip.isIPv4 else { continue }
                let serverAddress = TransportAddress(ip: serverIP, port: u.port)
                switch (u.scheme, u.transport) {
                case (.stun, _):
                    if configuration.relayOnly { continue }
                    let job = newJob(url: url, socket: socket, now: now)
                    let msg = STUNMessage(method: .binding, cls: .request, random: random)
                    startTransaction(.gather(job: job), route: .socket(socket), destination: serverAddress, message: msg,
                                     integrityKey: nil, responseKey: nil, fingerprint: false,
                                     rto: .milliseconds(250), maxRTO: .seconds(2), maxTransmissions: 6, now: now)
                case (.turn, "udp"):
                    guard let user = server.username, let pass = server.credential else {
                        candidateError(url: url, socketAddress: address, code: 701, text: "TURN server needs username and credential")
                        continue
                    }
                    let job = newJob(url: url, socket: socket, now: now)
                    let a = TURNAllocation(id: makeID(), job: job, url: url, socket: socket, server: serverAddress, username: user, password: pass)
                    allocations.append(a)
                    sendAllocate(allocation: allocations.count - 1, now: now)
                case (.turn, "tcp"), (.turns, "tcp"):
                    guard let user = server.username, let pass = server.credential else {
                        candidateError(url: url, socketAddress: address, code: 701, text: "TURN server needs username and credential")
                        continue
                    }
                    // One connection per server, whatever the number of host sockets of its family.
                    guard !allocations.contains(where: { $0.url == url && $0.server == serverAddress && $0.transport != .udp }) else { continue }
                    let job = newJob(url: url, socket: socket, now: now)
                    openTURNStream(url: url, host: u.host, transport: u.scheme == .turns ? .tls : .tcp, server: serverAddress,
                                   username: user, password: pass, job: job, now: now)
                default:
                    // stuns: and turns:?transport=udp (DTLS) are not supported.
                    candidateError(url: url, socketAddress: address, code: 701, text: "Transport not supported: \(u.scheme.rawValue)/\(u.transport)")
                }
            }
        }
    }

    func newJob(url: String, socket: Int, now: Instant) -> Int {
        let j = ICEGatherJob(id: makeID(), url: url, socket: socket, deadline: now + configuration.gatheringTimeout)
        jobs.append(j)
        return j.id
    }

    func candidateError(url: String, socketAddress: TransportAddress?, code: Int, text: String) {
        emit(.candidateError(url: url, address: socketAddress.map { "\($0.ip)" }, port: socketAddress?.port, errorCode: code, errorText: text))
    }

    /// Marks a job done; an error becomes `candidateError` (W3C: 701 for an unreachable server).
    func finishJob(_ id: Int, error: (Int, String)?, now: Instant) {
        guard let i = jobs.firstIndex(where: { $0.id == id }), !jobs[i].done else { return }
        jobs[i].done = true
        if let (code, text) = error {
            let addr = sockets.first { $0.id == jobs[i].socket }?.address
            candidateError(url: jobs[i].url, socketAddress: addr, code: code, text: text)
        }
        checkGatheringComplete()
        refreshHealthyState(now: now)
        evaluateFailure(now: now)
    }

    func runGatheringTimers(now: Instant) {
        for j in jobs where !j.done && j.deadline <= now {
            transactions.removeAll { if case .gather(let job) = $0.kind { return job == j.id } else { return false } }
            for ai in allocations.indices where allocations[ai].job == j.id && allocations[ai].state == .allocating {
                if let si = streams.firstIndex(where: { $0.allocation == allocations[ai].id }) {
                    failStream(si, text: "Server did not answer in time", notifyDriver: true, now: now)
                    continue
                }
                allocations[ai].state = .failed
                transactions.removeAll { if case .turn(let aid, _) = $0.kind { return aid == allocations[ai].id } else { return false } }
            }
            finishJob(j.id, error: (701, "Server did not answer in time"), now: now)
        }
    }

    /// A STUN server's Binding answer: a server-reflexive candidate, related address = base.
    func handleGatherResponse(_ msg: STUNMessage, job: Int, now: Instant) {
        guard let j = jobs.first(where: { $0.id == job }) else { return }
        guard msg.cls == .successResponse, let mapped = msg.xorMappedAddress ?? msg.mappedAddress else {
            let e = msg.errorCode
            finishJob(job, error: (e?.code ?? 701, e?.reason ?? "Bad STUN answer"), now: now)
            return
        }
        addServerReflexive(mapped: mapped, socket: j.socket, server: nil, now: now)
        finishJob(job, error: nil, now: now)
    }

    func addServerReflexive(mapped: TransportAddress, socket: Int, server: IPAddress?, now: Instant) {
        guard !configuration.relayOnly, let host = locals.first(where: { $0.route == .socket(socket) && $0.candidate.type == .host }),
              mapped != host.candidate.address else { return }
        let c = ICECandidate(foundation: ICEPriority.foundation(type: .srflx, base: host.base.ip, server: server),
                             priority: ICEPriority.candidate(type: .srflx, localPreference: host.localPreference),
                             address: mapped, type: .srflx, relatedAddress: host.base)
        addLocal(c, route: .socket(socket), base: host.base, localPreference: host.localPreference, signal: true, now: now)
    }
}
