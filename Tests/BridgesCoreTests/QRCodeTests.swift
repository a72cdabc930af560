@testable import BridgesCore
import Testing

@Suite("The QR code encoder")
struct QRCodeTests {
    static let inputs: [(text: String, version: Int)] = [
        ("HELLO", 1),
        ("https://a.org/verify/X1", 2),
        ("https://schools.example.org/verify/PD79W9C7JSPY8Q0X", 4),
        ("https://schools.example.org/verify/" + String(repeating: "Q", count: 65), 6),
        ("https://schools.example.org/verify/" + String(repeating: "Q", count: 90), 8),
        ("https://schools.example.org/verify/" + String(repeating: "7", count: 165), 10),
    ]

    /// The 15 format bits as read back from the copy around the top-left finder.
    static func formatBitsNearTopLeft(_ qr: QRCode) -> Int {
        let m = qr.modules
        var positions: [(x: Int, y: Int)] = (0...5).map { (8, $0) } + [(8, 7), (8, 8), (7, 8)]
        positions += (9..<15).map { (14 - $0, 8) }
        return positions.enumerated().reduce(0) { bits, entry in bits | ((m[entry.element.y][entry.element.x] ? 1 : 0) << entry.offset) }
    }

    static func formatBitsSecondCopy(_ qr: QRCode) -> Int {
        let m = qr.modules
        let n = qr.size
        var positions: [(x: Int, y: Int)] = (0..<8).map { (n - 1 - $0, 8) }
        positions += (8..<15).map { (8, n - 15 + $0) }
        return positions.enumerated().reduce(0) { bits, entry in bits | ((m[entry.element.y][entry.element.x] ? 1 : 0) << entry.offset) }
    }

    /// Polynomial remainder over GF(2), written again here so the test does not trust the encoder's.
    static func remainderGF2(_ value: Int, _ generator: Int) -> Int {
        var value = value
        let degree = Int.bitWidth - generator.leadingZeroBitCount - 1
        for shift in stride(from: Int.bitWidth - 1 - degree, through: 0, by: -1) where value & (1 << (shift + degree)) != 0 {
            value ^= generator << shift
        }
        return value
    }

    @Test("picks the smallest version that holds the text; the side is 17 + 4 × version", arguments: 0..<6)
    func smallestVersion(_ index: Int) throws {
        let (text, version) = Self.inputs[index]
        let qr = try #require(QRCode(text))
        #expect(qr.version == version)
        #expect(qr.size == 17 + 4 * version)
        #expect(qr.modules.allSatisfy { $0.count == qr.size })
    }

    @Test("draws the three finder patterns with their separators, the timing lines and the dark module", arguments: 0..<6)
    func functionPatterns(_ index: Int) throws {
        let qr = try #require(QRCode(Self.inputs[index].text))
        let n = qr.size
        for (ox, oy) in [(0, 0), (n - 7, 0), (0, n - 7)] {
            for dy in 0..<7 {
                for dx in 0..<7 {
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    #expect(qr.modules[oy + dy][ox + dx] == (ring != 2), "finder at \(ox),\(oy)")
                }
            }
        }
        for i in 0..<8 {
            #expect(!qr.modules[7][i] && !qr.modules[i][7])  // separators, top left
            #expect(!qr.modules[7][n - 1 - i] && !qr.modules[n - 1 - i][7])
        }
        for i in 8..<(n - 8) {
            #expect(qr.modules[6][i] == (i % 2 == 0) && qr.modules[i][6] == (i % 2 == 0))
        }
        #expect(qr.modules[n - 8][8])
    }

    @Test("both copies of the format information say level M and the mask chosen, with a valid BCH code", arguments: 0..<6)
    func formatInformation(_ index: Int) throws {
        let qr = try #require(QRCode(Self.inputs[index].text))
        let first = Self.formatBitsNearTopLeft(qr)
        #expect(first == Self.formatBitsSecondCopy(qr))
        let unmasked = first ^ 0x5412
        #expect(Self.remainderGF2(unmasked, 0x537) == 0, "BCH(15,5) check failed")
        #expect(unmasked >> 13 == 0b00, "level M")
        #expect((unmasked >> 10) & 0b111 == qr.mask)
    }

    @Test("version 7 and above carry the version number with its BCH(18,6) code in both corners")
    func versionInformation() throws {
        let qr = try #require(QRCode("https://schools.example.org/verify/" + String(repeating: "Q", count: 90)))
        #expect(qr.version == 8)
        var bottomLeft = 0
        var topRight = 0
        for i in 0..<18 {
            let a = qr.size - 11 + i % 3
            let b = i / 3
            bottomLeft |= (qr.modules[a][b] ? 1 : 0) << i
            topRight |= (qr.modules[b][a] ? 1 : 0) << i
        }
        #expect(bottomLeft == topRight)
        #expect(bottomLeft >> 12 == 8)
        #expect(Self.remainderGF2(bottomLeft, 0x1F25) == 0)
    }

    @Test("every mask gives a symbol whose format information names it; the chosen one scores lowest")
    func masks() throws {
        let text = "https://schools.example.org/verify/PD79W9C7JSPY8Q0X"
        let chosen = try #require(QRCode(text))
        for mask in 0...7 {
            let forced = try #require(QRCode(text, mask: mask))
            #expect((Self.formatBitsNearTopLeft(forced) ^ 0x5412) >> 10 & 0b111 == mask)
        }
        #expect(QRCode(text, mask: chosen.mask) == chosen)
        #expect(QRCode(text, mask: 8) == nil)
    }

    @Test("Reed–Solomon: the error-correction codewords of the standard's worked example (01234567, version 1-M)")
    func reedSolomonKnownAnswer() {
        // ISO/IEC 18004 Annex I: "01234567" in numeric mode at 1-M gives these 16 data codewords and 10 EC codewords.
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        let ec = QRCode.ReedSolomon.remainder(data, generator: QRCode.ReedSolomon.generator(degree: 10))
        #expect(ec == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test("refuses text longer than version 10 holds, and takes exactly the most it holds")
    func capacity() {
        #expect(QRCode(String(repeating: "a", count: QRCode.maximumBytes))?.version == 10)
        #expect(QRCode(String(repeating: "a", count: QRCode.maximumBytes + 1)) == nil)
    }

    @Test("the SVG is one path of unit squares on a white square with a 4-module quiet zone, nothing external")
    func svg() throws {
        let qr = try #require(QRCode("HELLO"))
        let svg = qr.svg(side: "4cm", xmlns: false, title: "a <b>")
        #expect(svg.hasPrefix("<svg viewBox=\"0 0 29 29\" width=\"4cm\" height=\"4cm\""))
        #expect(svg.components(separatedBy: "<path").count == 2)
        #expect(svg.contains("<title>a &lt;b&gt;</title>"))
        #expect(!svg.contains("href") && !svg.contains("http"))
        #expect(svg.contains("M4 4h7v1h-7z"))  // the top row of the top-left finder, inside the quiet zone
        #expect(qr.svg().contains("xmlns=\"http://www.w3.org/2000/svg\""))
    }

    /// The exact symbol for "HELLO" that zbarimg 0.23 decoded from a headless-Chromium screenshot
    /// of its SVG (issue 14, item 3): any change to the encoding, placement or mask choice shows here.
    @Test("encodes HELLO to the matrix a real decoder read back")
    func pinnedSymbol() throws {
        let qr = try #require(QRCode("HELLO"))
        #expect(qr.version == 1 && qr.mask == 4)
        #expect(qr.rows == """
            111111101101001111111
            100000100110101000001
            101110100111101011101
            101110101001001011101
            101110101000101011101
            100000101011001000001
            111111101010101111111
            000000001111100000000
            100010111111011111001
            000111001011100101111
            101100101011001110010
            111001000100011010000
            001011100100111000110
            000000001110111001011
            111111101100110001010
            100000100001100100010
            101110101001001110101
            101110100001100001011
            101110100111001111000
            100000100100011000000
            111111101000111110101
            """)
    }
}
