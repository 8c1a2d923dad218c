import WebRTCCore
import WebRTCICE

/// What the simulated-network harness and the real-socket driver share: an agent with fresh
/// credentials drawn from the test's seeded random source, and the start of a pair.
struct ICETestAgent {
    let agent: ICEAgent
    let ufrag: String
    let password: String

    /// Draws a 4-character ufrag and a 22-character password (RFC 8839 minimums), then creates
    /// the agent on the same random source.
    init(role: ICERole, configuration: ICEAgentConfiguration, random: RandomSource) {
        ufrag = random.iceString(4)
        password = random.iceString(22)
        agent = ICEAgent(role: role, localUfrag: ufrag, localPassword: password, configuration: configuration, random: random)
    }

    /// Wraps a peer's existing agent and credentials.
    init(agent: ICEAgent, ufrag: String, password: String) {
        self.agent = agent
        self.ufrag = ufrag
        self.password = password
    }

    init(_ p: SimPeer) { self.init(agent: p.agent, ufrag: p.ufrag, password: p.password) }
    init(_ p: RealPeer) { self.init(agent: p.agent, ufrag: p.ufrag, password: p.password) }

    /// Gives each agent the other's credentials and starts gathering on both.
    static func start(_ a: ICETestAgent, _ b: ICETestAgent, now: Instant) {
        a.agent.setRemoteCredentials(ufrag: b.ufrag, password: b.password, now: now)
        b.agent.setRemoteCredentials(ufrag: a.ufrag, password: a.password, now: now)
        a.agent.startGathering(now: now)
        b.agent.startGathering(now: now)
    }
}
