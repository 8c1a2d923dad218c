import Foundation
import Testing
import WebRTCCore
@testable import WebRTCSDP

/// Seeded mutation fuzzing of the SDP and candidate parsers over the real fixtures.
/// Set SDP_FUZZ_SEED to replay a run; SDP_FUZZ_ITERATIONS to run longer.
@Suite struct SDPFuzzSmokeTests {
    static var seed: UInt64 {
        if let s = ProcessInfo.processInfo.environment["SDP_FUZZ_SEED"], let v = UInt64(s) { return v }
        return UInt64(Date().timeIntervalSince1970 * 1000)
    }
    static var iterations: Int {
        ProcessInfo.processInfo.environment["SDP_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 20_000
    }

    @Test func mutatedSDPs() throws {
        let seed = Self.seed
        print("SDP fuzz smoke: seed \(seed) (replay with SDP_FUZZ_SEED=\(seed))")
        let rng = RandomSource(seed: seed)
        let corpus = Self.sdpCorpus()
        try #require(!corpus.isEmpty)
        var mutator = Mutator(rng: rng, corpus: corpus)
        var accepted = 0, slowest: Duration = .zero
        let clock = ContinuousClock()
        for i in 0..<Self.iterations {
            let bytes = mutator.mutate(corpus[i % corpus.count])
            let text = String(decoding: bytes, as: UTF8.self)
            var failure: String?
            var ok = false
            let elapsed = clock.measure { failure = SDPOracle.check(text, accepted: &ok) }
            slowest = max(slowest, elapsed)
            if let failure {
                Issue.record("seed \(seed) iteration \(i): \(failure)\n--- input ---\n\(text)")
                return
            }
            if ok { accepted += 1 }
        }
        print("SDP fuzz smoke: \(Self.iterations) inputs, \(accepted) accepted, slowest \(slowest)")
        #expect(accepted > 0)
        #expect(accepted < Self.iterations)
        // Debug build; TESTING.md asks for < 5 ms per input in release.
        #expect(slowest < .milliseconds(200))
    }

    @Test func mutatedCandidates() throws {
        let seed = Self.seed &+ 1
        print("candidate fuzz smoke: seed \(seed)")
        let rng = RandomSource(seed: seed)
        var lines: [[UInt8]] = []
        for f in Fixtures.sdps {
            for l in f.text.split(whereSeparator: \.isNewline) where l.hasPrefix("a=candidate:") {
                lines.append(Array(l.dropFirst(2).utf8))
            }
        }
        try #require(lines.count >= 10)
        var mutator = Mutator(rng: rng, corpus: lines)
        var accepted = 0
        for i in 0..<Self.iterations {
            let text = String(decoding: mutator.mutate(lines[i % lines.count]), as: UTF8.self)
            var ok = false
            if let failure = CandidateOracle.check(text, accepted: &ok) {
                Issue.record("seed \(seed) iteration \(i): \(failure)\n--- input ---\n\(text)")
                return
            }
            if ok { accepted += 1 }
        }
        print("candidate fuzz smoke: \(Self.iterations) inputs, \(accepted) accepted")
        #expect(accepted > 0)
        #expect(accepted < Self.iterations)
    }

    /// Every fixture whole, plus each fixture cut into "session part + one m-section" pieces
    /// (smaller inputs keep the debug-build run short without losing any line kind).
    static func sdpCorpus() -> [[UInt8]] {
        var out: [[UInt8]] = []
        for f in Fixtures.sdps {
            let bytes = Array(f.text.utf8)
            out.append(bytes)
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            guard let firstM = lines.firstIndex(where: { $0.starts(with: "m=".utf8) }) else { continue }
            let head = lines[..<firstM]
            var section: [ArraySlice<UInt8>] = []
            for line in lines[firstM...] {
                if line.starts(with: "m=".utf8), !section.isEmpty {
                    out.append(Array((head + section).joined(separator: [0x0A])) + [0x0A])
                    section = []
                }
                section.append(line)
            }
            out.append(Array((head + section).joined(separator: [0x0A])))
        }
        return out
    }

    @Test func sdpRegressionCorpus() {
        let files = Fixtures.files("fuzz-regressions/sdp")
        #expect(!files.isEmpty)
        for f in files {
            var ok = false
            if let failure = SDPOracle.check(f.text, accepted: &ok) { Issue.record("\(f.name): \(failure)") }
        }
    }

    @Test func candidateRegressionCorpus() {
        let files = Fixtures.files("fuzz-regressions/candidate")
        #expect(!files.isEmpty)
        for f in files {
            var ok = false
            if let failure = CandidateOracle.check(f.text, accepted: &ok) { Issue.record("\(f.name): \(failure)") }
        }
    }
}

/// The properties every input must satisfy; nil when they hold.
enum SDPOracle {
    /// nil if every property holds; `accepted` tells whether the input parsed.
    static func check(_ text: String, accepted: inout Bool) -> String? {
        let parsed: SessionDescription
        do {
            parsed = try SessionDescription.parse(text)
        } catch {
            var lineCount = 1
            for b in text.utf8 where b == 0x0A { lineCount += 1 }
            if error.line < 1 || error.line > lineCount {
                return "error line \(error.line) outside 1...\(lineCount): \(error)"
            }
            return nil
        }
        accepted = true
        let out = parsed.serialize()
        do {
            let again = try SessionDescription.parse(out)
            if again != parsed { return "round trip changed the model:\n\(out)" }
            if again.serialize() != out { return "serialisation not stable:\n\(out)" }
        } catch {
            return "serialised output does not parse (\(error)):\n\(out)"
        }
        // The WebRTC check must not trap either, and names an m= line when it fails.
        do { try parsed.validateForWebRTC() } catch {
            var outLines = 1
            for b in out.utf8 where b == 0x0A { outLines += 1 }
            if error.line < 1 || error.line > outLines { return "validation line \(error.line) out of range" }
        }
        return nil
    }
}

enum CandidateOracle {
    static func check(_ text: String, accepted: inout Bool) -> String? {
        guard let c = try? CandidateAttribute.parse(text) else { return nil }
        accepted = true
        do {
            let again = try CandidateAttribute.parse(c.description)
            if again != c { return "round trip changed the candidate: \(c.description)" }
            if again.description != c.description { return "description not stable" }
            // Also through an SDP line.
            let sdp = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=\(c.description)\r\n"
            let d = try SessionDescription.parse(sdp)
            if d.media.first?.candidates != [c] { return "candidate changed inside an SDP" }
        } catch {
            return "re-parse failed: \(error)"
        }
        return nil
    }
}

/// Byte flips, line deletions and duplications, token splices, number swaps and truncations.
struct Mutator {
    let rng: RandomSource
    let corpus: [[UInt8]]
    static let interesting: [UInt8] = Array(" :=/\r\n\t0123456789-*.;,~abcxyzAZ".utf8) + [0x00, 0x7F, 0xC3, 0xFF]
    static let numbers: [String] = ["0", "1", "65535", "65536", "127", "128", "256", "257", "4294967295", "4294967296",
                                    "18446744073709551615", "18446744073709551616", "-1", "", "00000000000000000000001"]

    init(rng: RandomSource, corpus: [[UInt8]]) {
        self.rng = rng
        self.corpus = corpus
    }

    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var b = input
        for _ in 0..<rng.uniform(1...3) { b = once(b) }
        return b
    }

    private func pick<T>(_ a: [T]) -> T { a[rng.uniform(0...(a.count - 1))] }

    private func lines(_ b: [UInt8]) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i < b.count {
            if b[i] == 0x0A {
                out.append(b[start..<i])
                start = i + 1
            }
            i += 1
        }
        out.append(b[start..<b.count])
        return out
    }

    private func join(_ l: [ArraySlice<UInt8>]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(l.reduce(0) { $0 + $1.count + 1 })
        for (k, line) in l.enumerated() {
            if k > 0 { out.append(0x0A) }
            out.append(contentsOf: line)
        }
        return out
    }

    private func positions(_ b: [UInt8], _ match: (UInt8) -> Bool) -> [Int] {
        var out: [Int] = []
        var i = 0
        while i < b.count {
            if match(b[i]) { out.append(i) }
            i += 1
        }
        return out
    }

    private func once(_ b: [UInt8]) -> [UInt8] {
        guard !b.isEmpty else { return Array(pick(Self.numbers).utf8) }
        var b = b
        switch rng.uniform(0...8) {
        case 0: // byte flip
            b[rng.uniform(0...(b.count - 1))] = pick(Self.interesting)
        case 1: // bit flip
            let i = rng.uniform(0...(b.count - 1))
            b[i] ^= UInt8(1 << rng.uniform(0...7))
        case 2: // delete a line
            var l = lines(b)
            if l.count > 1 { l.remove(at: rng.uniform(0...(l.count - 1))) }
            b = join(l)
        case 3: // duplicate a line
            var l = lines(b)
            let i = rng.uniform(0...(l.count - 1))
            l.insert(l[i], at: rng.uniform(0...l.count))
            b = join(l)
        case 4: // splice a token from another input over a token here
            let donor = pick(corpus)
            let tokens = donor.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x3A })
            guard let token = tokens.isEmpty ? nil : pick(tokens) else { break }
            let mine = positions(b) { $0 == 0x20 || $0 == 0x3A }
            guard !mine.isEmpty else { b.insert(contentsOf: token, at: 0); break }
            let start = pick(mine) + 1
            var end = start
            while end < b.count, b[end] != 0x20, b[end] != 0x0D, b[end] != 0x0A { end += 1 }
            b.replaceSubrange(start..<end, with: token)
        case 5: // swap a number for an interesting one
            let digits = positions(b) { $0 >= 0x30 && $0 <= 0x39 }
            guard !digits.isEmpty else { break }
            let start = pick(digits)
            var end = start
            while end < b.count, b[end] >= 0x30, b[end] <= 0x39 { end += 1 }
            b.replaceSubrange(start..<end, with: Array(pick(Self.numbers).utf8))
        case 6: // truncate
            b = Array(b.prefix(rng.uniform(0...b.count)))
        case 7: // swap two lines
            var l = lines(b)
            if l.count > 1 { l.swapAt(rng.uniform(0...(l.count - 1)), rng.uniform(0...(l.count - 1))) }
            b = join(l)
        default: // insert a random interesting byte run
            let run = (0..<rng.uniform(1...4)).map { _ in pick(Self.interesting) }
            b.insert(contentsOf: run, at: rng.uniform(0...b.count))
        }
        return b
    }
}
