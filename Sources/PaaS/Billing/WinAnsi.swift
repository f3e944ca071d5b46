import Foundation

/// Text in the PDF standard fonts' WinAnsiEncoding (Windows-1252), and the Helvetica metrics
/// needed to measure and wrap it. Characters the encoding lacks become `?`; line breaks and tabs
/// become spaces; other control characters become `?`.
enum WinAnsi {
    /// The WinAnsi bytes of `text`, after canonical composition (so `e` + U+0301 is `é`).
    static func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            bytes.append(byte(for: scalar))
        }
        return bytes
    }

    /// The text as the PDF will show it: `encode` decoded back to Unicode.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(encode(text).map(scalar(for:))))
    }

    /// The width of `text` in points, set in `font` at `size`.
    static func width(of text: String, font: PDFContent.Font, size: Double) -> Double {
        width(ofEncoded: encode(text), font: font, size: size)
    }

    /// The width of already encoded bytes in points.
    static func width(ofEncoded bytes: [UInt8], font: PDFContent.Font, size: Double) -> Double {
        let table = font == .regular ? helvetica : helveticaBold
        var thousandths = 0
        for byte in bytes where byte >= 32 { thousandths += table[Int(byte) - 32] }
        return Double(thousandths) * size / 1000
    }

    /// The byte for one Unicode scalar.
    static func byte(for scalar: Unicode.Scalar) -> UInt8 {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return 0x20
        case 0x20...0x7E, 0xA0...0xFF: return UInt8(scalar.value)
        default:
            if let index = high.firstIndex(of: scalar.value) { return UInt8(0x80 + index) }
            return UInt8(ascii: "?")
        }
    }

    /// The Unicode scalar one encoded byte stands for.
    static func scalar(for byte: UInt8) -> Unicode.Scalar {
        if (0x80...0x9F).contains(byte), high[Int(byte) - 0x80] != 0 { return Unicode.Scalar(high[Int(byte) - 0x80])! }
        return Unicode.Scalar(byte)
    }

    /// Unicode of the bytes 0x80–0x9F (0 where WinAnsi defines no character).
    private static let high: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// Helvetica advance widths (1/1000 em) of the bytes 32–255, from Adobe's AFM.
    private static let helvetica: [Int] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
        556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
        0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
        278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
        400, 584, 333, 333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
        667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
        722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
        556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
    ]

    /// Helvetica-Bold advance widths (1/1000 em) of the bytes 32–255, from Adobe's AFM.
    private static let helveticaBold: [Int] = [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
        975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
        333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
        611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
        556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
        0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
        278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
        400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
        722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
        722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
        556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
        611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
    ]
}
