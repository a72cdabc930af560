/// A QR code (ISO/IEC 18004) of a short text, such as a certificate's verification URL, so a
/// phone can open it from the printed page (issue 14, item 3).
///
/// Byte mode, error correction level M (about 15 % of the symbol can be damaged or covered by a
/// stamp and it still reads), versions 1–10 (up to 213 bytes), the smallest that fits. All eight
/// masks are scored with the standard's four penalty rules and the lowest one is kept. Pure code:
/// a matrix of modules out, and an SVG drawing of it.
public struct QRCode: Sendable, Hashable {
    /// The symbol version, 1–10: the matrix is `17 + 4 × version` modules wide.
    public let version: Int
    /// The data mask chosen (0–7).
    public let mask: Int
    /// The modules, row by row from the top; `true` is dark.
    public let modules: [[Bool]]

    /// Modules per side.
    public var size: Int { modules.count }

    /// The most bytes a version-10 symbol at level M holds in byte mode.
    public static let maximumBytes = 213

    /// Encodes `text` as UTF-8; `nil` when it is longer than `maximumBytes`.
    public init?(_ text: String, mask: Int? = nil) {
        self.init(bytes: Array(text.utf8), mask: mask)
    }

    /// Encodes `bytes`; `nil` when they do not fit in version 10. `mask` forces a mask (for tests);
    /// otherwise the one with the lowest penalty is chosen.
    public init?(bytes: [UInt8], mask forcedMask: Int? = nil) {
        if let forcedMask, !(0...7).contains(forcedMask) { return nil }
        guard let version = (1...10).first(where: { Self.dataCapacityBits(version: $0) >= Self.bitsNeeded(bytes.count, version: $0) }) else {
            return nil
        }
        let codewords = Self.codewords(bytes, version: version)
        var symbol = Matrix(version: version)
        symbol.drawFunctionPatterns()
        symbol.placeData(codewords)
        var best = (mask: 0, penalty: Int.max, modules: symbol.modules)
        for candidate in forcedMask.map({ [$0] }) ?? Array(0...7) {
            var trial = symbol
            trial.applyMask(candidate)
            trial.drawFormatBits(mask: candidate)
            let penalty = trial.penalty()
            if penalty < best.penalty { best = (candidate, penalty, trial.modules) }
        }
        self.version = version
        self.mask = best.mask
        self.modules = best.modules
    }

    /// The matrix as text, one row a line, `1` dark and `0` light (for tests that pin a symbol).
    public var rows: String {
        modules.map { row in String(row.map { $0 ? "1" : "0" }) }.joined(separator: "\n")
    }

    /// The symbol as an SVG drawing: a white square with the standard's 4-module quiet zone and one
    /// path of unit squares for the dark modules. `xmlns` is needed for an .svg file, not inside HTML.
    /// `side` is the printed width (any CSS length), e.g. `"4cm"`.
    public func svg(side: String? = nil, xmlns: Bool = true, title: String? = nil) -> String {
        let quiet = 4
        let full = size + 2 * quiet
        var path = ""
        path.reserveCapacity(size * size * 4)
        for (y, row) in modules.enumerated() {
            var x = 0
            while x < size {
                guard row[x] else { x += 1; continue }
                var run = 1
                while x + run < size, row[x + run] { run += 1 }
                path += "M\(x + quiet) \(y + quiet)h\(run)v1h-\(run)z"
                x += run
            }
        }
        let namespace = xmlns ? " xmlns=\"http://www.w3.org/2000/svg\"" : ""
        let dimensions = side.map { " width=\"\($0)\" height=\"\($0)\"" } ?? ""
        let label = title.map { "<title>\(MarkupText.escaped($0))</title>" } ?? ""
        return "<svg\(namespace) viewBox=\"0 0 \(full) \(full)\"\(dimensions) shape-rendering=\"crispEdges\" role=\"img\">"
            + label
            + "<rect width=\"\(full)\" height=\"\(full)\" fill=\"#fff\"/>"
            + "<path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    // MARK: - Capacity (level M)

    /// Per version 1–10 at level M: error-correction codewords per block, and the blocks' data
    /// codeword counts (short blocks first).
    static let blocksM: [(ecPerBlock: Int, dataPerBlock: [Int])] = [
        (10, [16]),
        (16, [28]),
        (26, [44]),
        (18, [32, 32]),
        (24, [43, 43]),
        (16, [27, 27, 27, 27]),
        (18, [31, 31, 31, 31]),
        (22, [38, 38, 39, 39]),
        (22, [36, 36, 36, 37, 37]),
        (26, [43, 43, 43, 43, 44]),
    ]

    /// Alignment pattern centre coordinates per version 1–10.
    static let alignmentCentres: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
    ]

    static func dataCapacityBits(version: Int) -> Int {
        blocksM[version - 1].dataPerBlock.reduce(0, +) * 8
    }

    /// Mode indicator, character count, the bytes.
    static func bitsNeeded(_ count: Int, version: Int) -> Int {
        let countBits = version <= 9 ? 8 : 16
        guard count < 1 << countBits else { return Int.max }
        return 4 + countBits + 8 * count
    }

    // MARK: - Codewords

    /// The final codeword sequence: data in byte mode, padded, split into blocks, each given its
    /// Reed–Solomon codewords, then interleaved.
    static func codewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: version <= 9 ? 8 : 16)
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = dataCapacityBits(version: version)
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var data = bits.bytes
        var pad: UInt8 = 0xEC
        while data.count * 8 < capacity {
            data.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }

        let layout = blocksM[version - 1]
        let generator = ReedSolomon.generator(degree: layout.ecPerBlock)
        var blocks: [[UInt8]] = []
        var ecBlocks: [[UInt8]] = []
        var start = 0
        for length in layout.dataPerBlock {
            let block = Array(data[start..<start + length])
            start += length
            blocks.append(block)
            ecBlocks.append(ReedSolomon.remainder(block, generator: generator))
        }
        var result: [UInt8] = []
        for i in 0..<(layout.dataPerBlock.max() ?? 0) {
            for block in blocks where i < block.count { result.append(block[i]) }
        }
        for i in 0..<layout.ecPerBlock {
            for block in ecBlocks { result.append(block[i]) }
        }
        return result
    }

    struct BitBuffer {
        var bits: [Bool] = []
        var count: Int { bits.count }
        mutating func append(_ value: Int, count: Int) {
            guard count > 0 else { return }
            for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
        }
        var bytes: [UInt8] {
            stride(from: 0, to: bits.count, by: 8).map { start in
                (0..<8).reduce(UInt8(0)) { byte, offset in
                    byte << 1 | (start + offset < bits.count && bits[start + offset] ? 1 : 0)
                }
            }
        }
    }

    /// Arithmetic in GF(256) with the field polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D), and the
    /// Reed–Solomon code over it with generator ∏ (x − αⁱ), i = 0 ..< degree.
    enum ReedSolomon {
        static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
            var product = 0
            var x = Int(a)
            var y = Int(b)
            while y > 0 {
                if y & 1 == 1 { product ^= x }
                x <<= 1
                if x & 0x100 != 0 { x ^= 0x11D }
                y >>= 1
            }
            return UInt8(product)
        }

        /// The generator's coefficients below the leading 1, highest power first.
        static func generator(degree: Int) -> [UInt8] {
            // Start from the polynomial 1 and multiply by (x − αⁱ) for each i.
            var poly: [UInt8] = [1]  // highest power first, leading coefficient included
            var alpha: UInt8 = 1
            for _ in 0..<degree {
                var next = [UInt8](repeating: 0, count: poly.count + 1)
                for (i, coefficient) in poly.enumerated() {
                    next[i] ^= coefficient  // × x
                    next[i + 1] ^= multiply(coefficient, alpha)  // × αⁱ (minus is plus in GF(2⁸))
                }
                poly = next
                alpha = multiply(alpha, 2)
            }
            return Array(poly.dropFirst())
        }

        /// The remainder of data(x) · x^degree divided by the generator: the error-correction codewords.
        static func remainder(_ data: [UInt8], generator: [UInt8]) -> [UInt8] {
            var register = [UInt8](repeating: 0, count: generator.count)
            for byte in data {
                let factor = byte ^ register[0]
                register.removeFirst()
                register.append(0)
                if factor != 0 {
                    for i in 0..<generator.count { register[i] ^= multiply(generator[i], factor) }
                }
            }
            return register
        }
    }

    // MARK: - Format and version information

    /// The 15 format bits for level M and `mask`: 5 data bits, a BCH(15,5) code, XOR 0x5412.
    static func formatBits(mask: Int) -> Int {
        let data = (0b00 << 3) | mask  // level M is 00
        return ((data << 10) | bchRemainder(data << 10, generator: 0x537)) ^ 0x5412
    }

    /// The 18 version bits: 6 data bits and a BCH(18,6) code.
    static func versionBits(_ version: Int) -> Int {
        (version << 12) | bchRemainder(version << 12, generator: 0x1F25)
    }

    static func bchRemainder(_ value: Int, generator: Int) -> Int {
        var value = value
        let degree = generator.bitWidth - generator.leadingZeroBitCount - 1
        while value != 0, value.bitWidth - value.leadingZeroBitCount - 1 >= degree {
            let shift = (value.bitWidth - value.leadingZeroBitCount - 1) - degree
            value ^= generator << shift
        }
        return value
    }

    // MARK: - The matrix

    struct Matrix {
        let version: Int
        let size: Int
        var modules: [[Bool]]
        var isFunction: [[Bool]]

        init(version: Int) {
            self.version = version
            size = 17 + 4 * version
            modules = Array(repeating: Array(repeating: false, count: size), count: size)
            isFunction = modules
        }

        mutating func set(x: Int, y: Int, _ dark: Bool) {
            modules[y][x] = dark
            isFunction[y][x] = true
        }

        mutating func drawFunctionPatterns() {
            for i in 0..<size {
                set(x: 6, y: i, i % 2 == 0)
                set(x: i, y: 6, i % 2 == 0)
            }
            drawFinder(centreX: 3, centreY: 3)
            drawFinder(centreX: size - 4, centreY: 3)
            drawFinder(centreX: 3, centreY: size - 4)
            let centres = QRCode.alignmentCentres[version - 1]
            let last = centres.count - 1
            for (i, cy) in centres.enumerated() {
                for (j, cx) in centres.enumerated() {
                    // The three corners with finder patterns have no alignment pattern.
                    if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                    for dy in -2...2 {
                        for dx in -2...2 { set(x: cx + dx, y: cy + dy, max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            drawFormatBits(mask: 0)  // reserves the areas; redrawn with the chosen mask
            if version >= 7 {
                let bits = QRCode.versionBits(version)
                for i in 0..<18 {
                    let dark = (bits >> i) & 1 == 1
                    let a = size - 11 + i % 3
                    let b = i / 3
                    set(x: a, y: b, dark)
                    set(x: b, y: a, dark)
                }
            }
        }

        /// A finder pattern with its light separator, clipped at the edges.
        mutating func drawFinder(centreX: Int, centreY: Int) {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = centreX + dx
                    let y = centreY + dy
                    guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                    let ring = max(abs(dx), abs(dy))
                    set(x: x, y: y, ring != 2 && ring != 4)
                }
            }
        }

        mutating func drawFormatBits(mask: Int) {
            let bits = QRCode.formatBits(mask: mask)
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            // Around the top-left finder.
            for i in 0...5 { set(x: 8, y: i, bit(i)) }
            set(x: 8, y: 7, bit(6))
            set(x: 8, y: 8, bit(7))
            set(x: 7, y: 8, bit(8))
            for i in 9..<15 { set(x: 14 - i, y: 8, bit(i)) }
            // Beside the other two finders.
            for i in 0..<8 { set(x: size - 1 - i, y: 8, bit(i)) }
            for i in 8..<15 { set(x: 8, y: size - 15 + i, bit(i)) }
            set(x: 8, y: size - 8, true)  // the dark module
        }

        /// Places the codewords in the two-module-wide zigzag from the bottom right, skipping the
        /// vertical timing pattern; modules left over (remainder bits) stay light.
        mutating func placeData(_ codewords: [UInt8]) {
            let total = codewords.count * 8
            var index = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                let upward = ((right + 1) & 2) == 0
                for step in 0..<size {
                    let y = upward ? size - 1 - step : step
                    for offset in 0..<2 {
                        let x = right - offset
                        guard !isFunction[y][x] else { continue }
                        if index < total {
                            modules[y][x] = (codewords[index >> 3] >> (7 - UInt8(index & 7))) & 1 == 1
                            index += 1
                        }
                    }
                }
                right -= 2
            }
        }

        static func masked(_ mask: Int, x: Int, y: Int) -> Bool {
            switch mask {
            case 0: (y + x) % 2 == 0
            case 1: y % 2 == 0
            case 2: x % 3 == 0
            case 3: (y + x) % 3 == 0
            case 4: (y / 2 + x / 3) % 2 == 0
            case 5: (y * x) % 2 + (y * x) % 3 == 0
            case 6: ((y * x) % 2 + (y * x) % 3) % 2 == 0
            default: ((y + x) % 2 + (y * x) % 3) % 2 == 0
            }
        }

        mutating func applyMask(_ mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !isFunction[y][x] && Self.masked(mask, x: x, y: y) {
                    modules[y][x].toggle()
                }
            }
        }

        /// The standard's four penalty rules: runs of five or more, 2×2 blocks, finder-like
        /// 1:1:3:1:1 patterns with four light modules on a side, and the distance from half dark.
        func penalty() -> Int {
            var score = 0
            let lines: [[Bool]] = modules + (0..<size).map { x in (0..<size).map { y in modules[y][x] } }
            let finderLike: [Bool] = [true, false, true, true, true, false, true]
            let light4 = [Bool](repeating: false, count: 4)
            for line in lines {
                var run = 1
                for i in 1...size {
                    if i < size, line[i] == line[i - 1] {
                        run += 1
                    } else {
                        if run >= 5 { score += 3 + (run - 5) }
                        run = 1
                    }
                }
                if size >= 11 {
                    for start in 0...(size - 11) {
                        let window = Array(line[start..<start + 11])
                        if window == finderLike + light4 || window == light4 + finderLike { score += 40 }
                    }
                }
            }
            for y in 0..<size - 1 {
                for x in 0..<size - 1 {
                    let c = modules[y][x]
                    if modules[y][x + 1] == c, modules[y + 1][x] == c, modules[y + 1][x + 1] == c { score += 3 }
                }
            }
            let dark = modules.reduce(0) { $0 + $1.reduce(0) { $0 + ($1 ? 1 : 0) } }
            let percent = dark * 100 / (size * size)
            score += 10 * (abs(percent - 50) / 5)
            return score
        }
    }
}
