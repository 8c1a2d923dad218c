import Testing
import WebRTCCore
@testable import WebRTCSTUN

@Suite struct STUNVectorTests {
    let key = STUNCrypto.shortTermKey(password: RFC5769.shortTermPassword)
    var longTermKey: [UInt8] {
        STUNCrypto.longTermKey(username: RFC5769.longTermUsername, realm: RFC5769.longTermRealm, password: RFC5769.longTermPassword)
    }

    @Test func sampleRequest() throws {
        let m = try #require(STUNMessage.decode(RFC5769.request))
        #expect(m.method == .binding && m.cls == .request)
        #expect(m.transactionID == RFC5769.transactionID)
        #expect(m.software == "STUN test client")
        #expect(m.username == "evtj:h6vY")
        #expect(m.priority == 0x6E00_01FF)
        #expect(m.iceControlled == 0x932F_F9B1_5126_3B36)
        #expect(m.verifyIntegrity(key: key))
        #expect(!m.verifyIntegrity(key: Array("wrong".utf8)))
        #expect(m.verifyFingerprint())
        #expect(m.encode(integrityKey: key, fingerprint: true) == RFC5769.request)
    }

    @Test func ipv4Response() throws {
        let m = try #require(STUNMessage.decode(RFC5769.ipv4Response))
        #expect(m.method == .binding && m.cls == .successResponse)
        #expect(m.software == "test vector")
        #expect(m.xorMappedAddress == TransportAddress("192.0.2.1:32853"))
        #expect(m.verifyIntegrity(key: key))
        #expect(m.verifyFingerprint())
        #expect(m.encode(integrityKey: key, fingerprint: true) == RFC5769.ipv4Response)
        // Building from scratch yields the same XOR-MAPPED-ADDRESS bytes.
        let a = STUNAttribute.xorAddress(.xorMappedAddress, try #require(TransportAddress("192.0.2.1:32853")), transactionID: RFC5769.transactionID)
        #expect(a.value == m.attribute(.xorMappedAddress)?.value)
    }

    @Test func ipv6Response() throws {
        let m = try #require(STUNMessage.decode(RFC5769.ipv6Response))
        #expect(m.xorMappedAddress == TransportAddress("[2001:db8:1234:5678:11:2233:4455:6677]:32853"))
        #expect(m.verifyIntegrity(key: key))
        #expect(m.verifyFingerprint())
        #expect(m.encode(integrityKey: key, fingerprint: true) == RFC5769.ipv6Response)
    }

    @Test func longTermRequest() throws {
        let m = try #require(STUNMessage.decode(RFC5769.longTermRequest))
        #expect(m.username == RFC5769.longTermUsername)
        #expect(m.realm == RFC5769.longTermRealm)
        #expect(m.nonce == RFC5769.longTermNonce)
        #expect(!m.hasFingerprint)
        #expect(m.verifyIntegrity(key: longTermKey))
        #expect(!m.verifyIntegrity(key: STUNCrypto.longTermKey(username: RFC5769.longTermUsername, realm: "example.org", password: "thematrix")))
        #expect(m.encode(integrityKey: longTermKey) == RFC5769.longTermRequest)
        // Built from scratch, attribute by attribute.
        let built = STUNMessage(method: .binding, cls: .request, transactionID: m.transactionID,
                                attributes: [.username(RFC5769.longTermUsername), .nonce(RFC5769.longTermNonce), .realm(RFC5769.longTermRealm)])
        #expect(built.encode(integrityKey: longTermKey) == RFC5769.longTermRequest)
    }

    static let vectors: [(String, [UInt8])] = [
        ("request", RFC5769.request), ("ipv4", RFC5769.ipv4Response),
        ("ipv6", RFC5769.ipv6Response), ("longTerm", RFC5769.longTermRequest),
    ]

    @Test(arguments: 0..<4) func everySingleBitFlipFails(_ index: Int) {
        let (name, bytes) = Self.vectors[index]
        let k = name == "longTerm" ? longTermKey : key
        var survivors = 0
        for bit in 0..<(bytes.count * 8) {
            var b = bytes
            b[bit / 8] ^= 1 << UInt8(bit % 8)
            guard let m = STUNMessage.decode(b) else { continue }
            let integrityOK = m.verifyIntegrity(key: k)
            let fingerprintOK = name == "longTerm" ? true : m.verifyFingerprint()
            if integrityOK && fingerprintOK { survivors += 1 }
        }
        #expect(survivors == 0, "\(name): \(survivors) flipped messages still verified")
    }

    @Test func sha256IntegrityRoundTrip() throws {
        let tid = RandomSource(seed: 1).bytes(12)
        let msg = STUNMessage(method: .binding, cls: .request, transactionID: tid, attributes: [.username("a:b"), .priority(7)])
        let bytes = msg.encode(integrityKey: key, integritySHA256Key: key, fingerprint: true)
        let m = try #require(STUNMessage.decode(bytes))
        #expect(m.verifyIntegrity(key: key))
        #expect(m.verifyIntegritySHA256(key: key))
        #expect(!m.verifyIntegritySHA256(key: [1, 2, 3]))
        #expect(m.verifyFingerprint())
        #expect(m.priority == 7)
    }

    @Test(arguments: [
        (STUNMethod.binding, STUNClass.request, UInt16(0x0001)), (.binding, .successResponse, 0x0101),
        (.binding, .errorResponse, 0x0111), (.binding, .indication, 0x0011), (.allocate, .request, 0x0003),
        (.allocate, .errorResponse, 0x0113), (.send, .indication, 0x0016), (.data, .indication, 0x0017),
        (.channelBind, .request, 0x0009), (.createPermission, .successResponse, 0x0108),
        (STUNMethod(rawValue: 0xFFF), .errorResponse, 0x3FFF),
    ])
    func messageTypeBits(_ method: STUNMethod, _ cls: STUNClass, _ type: UInt16) throws {
        #expect(STUNMessageType.encode(method: method, cls: cls) == type)
        let (m, c) = try #require(STUNMessageType.decode(type))
        #expect(m == method && c == cls)
    }
}
