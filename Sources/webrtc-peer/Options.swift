import ArgumentParser
import Foundation

/// The command line of `webrtc-peer`: every option of the interop contract (docs/INTEROP.md).
struct Options: ParsableCommand {
    /// Which side of the connection this process plays.
    enum Role: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// Creates the data channels and the offer, runs the scenario and writes the result line.
        case offerer
        /// Waits for the offer and serves every channel by its label prefix.
        case answerer
    }

    /// What the offerer does once connected.
    enum Scenario: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// 200 messages of cycling sizes, each echoed back and compared.
        case echo
        /// `--bytes` of binary in `--message-size` messages, counted and hashed by the answerer.
        case bulk
        /// 16 in-band and 10 negotiated channels whose parameters the answerer describes back.
        case channels
        /// Sends into a channel the answerer never reads: receive flow control must hold the sender back.
        case sink
        /// Audio and video sent and reflected (not implemented by this peer's offerer).
        case media

        /// Whether this peer can play the offerer of the scenario.
        var offererImplemented: Bool {
            switch self {
            case .echo, .bulk, .channels, .sink: true
            case .media: false
            }
        }
    }

    /// The video codec of the `media` scenario.
    enum VideoCodec: String, ExpressibleByArgument, CaseIterable, Sendable {
        case vp8, vp9, h264, av1
    }

    static let configuration = CommandConfiguration(
        commandName: "webrtc-peer",
        abstract: "One end of a WebRTC data-channel interop test, signaled over stdin and stdout.",
        discussion: """
            Two peers (this one, aiortc, Chromium, pion, ...) are joined by a harness that copies \
            each one's standard output to the other's standard input. Both streams carry one JSON \
            object per line: offer, answer, trickled candidates (an empty candidate ends \
            gathering) and, last of all from the offerer, the result. Logs go to standard error.

            The answerer serves every data channel the remote opens by its label prefix: echo \
            (send each message back), bulk (count and SHA-256 the bytes, reply to the text "end"), \
            meta (reply with a JSON description of the channel) and sink (never read). It also \
            creates the negotiated channels 900-909 and exits 0 when the connection closes or \
            standard input ends.

            The offerer runs the scenario and writes {"type":"result","ok":...}; it exits 0 on \
            success, 1 on failure or timeout, 2 on a bad command line or a scenario it does not \
            implement (media). Unrecognized arguments are logged and ignored, so a harness \
            may pass options meant for another implementation to both peers.

            The full contract is docs/INTEROP.md in the swift-webrtc repository.
            """
    )

    @Option(help: "Which side to play: the offerer creates the channels and the offer and runs the scenario; the answerer serves channels by label.")
    var role: Role

    @Option(help: "What the offerer does once connected (the answerer ignores it).")
    var scenario: Scenario = .echo

    @Option(help: ArgumentHelp("bulk: total bytes to send.", valueName: "n"))
    var bytes = 67_108_864

    @Option(help: ArgumentHelp("bulk: bytes per message (capped at the remote's max-message-size).", valueName: "n"))
    var messageSize = 65_536

    @Option(help: ArgumentHelp("A STUN server, e.g. stun:127.0.0.1:3478.", valueName: "url"))
    var stun: String?

    @Option(help: ArgumentHelp("A TURN server, e.g. turn:127.0.0.1:3478?transport=udp.", valueName: "url"))
    var turn: String?

    @Option(help: ArgumentHelp("TURN user name.", valueName: "user"))
    var turnUser: String?

    @Option(help: ArgumentHelp("TURN password.", valueName: "password"))
    var turnPass: String?

    @Flag(help: "Use relay candidates only (iceTransportPolicy relay).")
    var relayOnly = false

    @Option(help: ArgumentHelp("Give up and exit 1 after this many seconds.", valueName: "seconds"))
    var timeout = 60.0

    @Option(help: ArgumentHelp("sink, media: how long the offerer sends, in seconds.", valueName: "seconds"))
    var seconds = 5.0

    @Option(help: "media: the video codec the offerer sends (answerers accept any).")
    var videoCodec: VideoCodec = .vp8

    /// Arguments no option claims: logged and ignored, like unknown signaling lines.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unrecognized: [String] = []

    mutating func validate() throws {
        if role == .offerer && !scenario.offererImplemented {
            throw ValidationError("scenario '\(scenario.rawValue)' is not implemented by this peer's offerer (use echo, bulk or channels)")
        }
        guard bytes >= 0 else { throw ValidationError("--bytes must not be negative") }
        guard messageSize > 0 else { throw ValidationError("--message-size must be positive") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard seconds >= 0 else { throw ValidationError("--seconds must not be negative") }
    }
}

/// Parses the process arguments; prints help and exits 0 for `--help`, or prints the error and
/// usage to standard error and exits 2 (the contract's status for a bad command line).
func parseOptionsOrExit() -> Options {
    do {
        return try Options.parse(Array(CommandLine.arguments.dropFirst()))
    } catch {
        let message = Options.fullMessage(for: error)
        if Options.exitCode(for: error) == .success {
            print(message)
            exit(0)
        }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }
}
