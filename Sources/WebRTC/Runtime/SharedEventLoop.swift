import NIOCore
import NIOPosix

/// The event loop that runs every peer connection of the process.
///
/// One loop, not a group: usrsctp is a single global C stack whose timers fire callbacks for every
/// association, so all SCTP work must be serialised anyway (DESIGN.md §7). Running every
/// connection's actor on this one loop keeps each connection's packet path free of thread hops
/// and usrsctp free of cross-thread callbacks. Multi-core scale would need one usrsctp-owning loop
/// per process plus per-connection loops for ICE/DTLS; see BENCHMARKS.md.
enum SharedEventLoop {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    static var loop: any EventLoop { group.any() }
}
