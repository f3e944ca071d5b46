/// A minimal PDF 1.4 file writer: numbered indirect objects, uncompressed streams, a classic
/// cross-reference table with exact byte offsets, and the trailer. It knows nothing about
/// layout; `PDFContent` builds the page content streams. The output depends only on what is
/// written, so the same calls give the same bytes.
struct PDFWriter {
    private var bytes: [UInt8] = []
    /// Byte offset of each object, by object number − 1; `nil` until the object is written.
    private var offsets: [Int?] = []

    init() {
        // The header, then a comment of high bytes so transfer tools treat the file as binary.
        append("%PDF-1.4\n")
        bytes += [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
    }

    /// Reserves the next object number, so objects may refer to each other before they are written.
    mutating func reserve() -> Int {
        offsets.append(nil)
        return offsets.count
    }

    /// Writes object `number` (reserved before) with a dictionary, array or other direct body.
    mutating func write(_ number: Int, _ body: String) {
        begin(number)
        append(body)
        append("\nendobj\n")
    }

    /// Writes object `number` as a stream with `dictionary` entries (without `/Length`) and `data`.
    mutating func writeStream(_ number: Int, dictionary: String = "", data: [UInt8]) {
        begin(number)
        append("<< /Length \(data.count)\(dictionary.isEmpty ? "" : " " + dictionary) >>\nstream\n")
        bytes += data
        append("\nendstream\nendobj\n")
    }

    /// The finished file: every reserved object must have been written.
    consuming func finish(root: Int, info: Int? = nil) -> [UInt8] {
        let xref = bytes.count
        append("xref\n0 \(offsets.count + 1)\n")
        // Each entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, type, CR LF.
        append("0000000000 65535 f\r\n")
        for (index, offset) in offsets.enumerated() {
            guard let offset else { preconditionFailure("PDF object \(index + 1) was reserved but never written") }
            append("\(Self.padded(offset, to: 10)) 00000 n\r\n")
        }
        append("trailer\n<< /Size \(offsets.count + 1) /Root \(root) 0 R")
        if let info { append(" /Info \(info) 0 R") }
        append(" >>\nstartxref\n\(xref)\n%%EOF\n")
        return bytes
    }

    private mutating func begin(_ number: Int) {
        precondition(offsets.indices.contains(number - 1), "PDF object \(number) was not reserved")
        precondition(offsets[number - 1] == nil, "PDF object \(number) is written twice")
        offsets[number - 1] = bytes.count
        append("\(number) 0 obj\n")
    }

    private mutating func append(_ text: String) { bytes += Array(text.utf8) }

    private static func padded(_ value: Int, to width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// The text of a PDF literal string `( … )` for bytes already in the font's encoding:
/// `(`, `)` and `\` are escaped, and every byte outside printable ASCII is written as an octal
/// escape, so no byte of the text can end the string or reach the content stream as an operator.
func pdfLiteral(_ encoded: [UInt8]) -> String {
    var out = "("
    for byte in encoded {
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
            out.append("\\")
            out.append(Character(Unicode.Scalar(byte)))
        case 0x20...0x7E:
            out.append(Character(Unicode.Scalar(byte)))
        default:
            let octal = String(byte, radix: 8)
            out.append("\\" + String(repeating: "0", count: 3 - octal.count) + octal)
        }
    }
    out.append(")")
    return out
}

/// A number as a PDF operand: at most two decimals, no exponent, no locale.
func pdfNumber(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let sign = hundredths < 0 ? "-" : ""
    let magnitude = hundredths.magnitude
    let fraction = magnitude % 100
    if fraction == 0 { return "\(sign)\(magnitude / 100)" }
    return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

/// The operators of one page's content stream: text in the standard fonts, rules and boxes.
struct PDFContent {
    /// The fonts the page resources name `/F1` and `/F2`.
    enum Font: String, CaseIterable {
        case regular = "F1"
        case bold = "F2"

        /// The standard Type 1 font behind the resource name.
        var baseFont: String { self == .regular ? "Helvetica" : "Helvetica-Bold" }
    }

    private(set) var operations = ""

    /// Draws `text` (encoded to WinAnsi) with its baseline starting at (`x`, `y`).
    mutating func text(_ text: String, x: Double, y: Double, font: Font, size: Double, gray: Double = 0) {
        let encoded = WinAnsi.encode(text)
        guard !encoded.isEmpty else { return }
        operations += "BT \(pdfNumber(gray)) g /\(font.rawValue) \(pdfNumber(size)) Tf "
        operations += "\(pdfNumber(x)) \(pdfNumber(y)) Td \(pdfLiteral(encoded)) Tj ET\n"
    }

    /// Draws `text` so that it ends at `right`.
    mutating func textRight(_ text: String, right: Double, y: Double, font: Font, size: Double, gray: Double = 0) {
        self.text(text, x: right - WinAnsi.width(of: text, font: font, size: size), y: y, font: font, size: size, gray: gray)
    }

    /// A horizontal rule from `x1` to `x2` at height `y`.
    mutating func rule(from x1: Double, to x2: Double, y: Double, width: Double = 0.5, gray: Double = 0) {
        operations += "\(pdfNumber(gray)) G \(pdfNumber(width)) w \(pdfNumber(x1)) \(pdfNumber(y)) m "
        operations += "\(pdfNumber(x2)) \(pdfNumber(y)) l S\n"
    }

    /// A filled rectangle.
    mutating func box(x: Double, y: Double, width: Double, height: Double, gray: Double) {
        operations += "\(pdfNumber(gray)) g \(pdfNumber(x)) \(pdfNumber(y)) \(pdfNumber(width)) \(pdfNumber(height)) re f\n"
    }
}

extension PDFWriter {
    /// A whole document of `pages` on pages of `width` × `height` points, with the standard
    /// Helvetica fonts and an information dictionary.
    static func document(pages: [PDFContent], width: Double, height: Double, title: String, producer: String) -> [UInt8] {
        var writer = PDFWriter()
        let catalog = writer.reserve()
        let pageTree = writer.reserve()
        let fonts = PDFContent.Font.allCases.map { ($0, writer.reserve()) }
        let info = writer.reserve()
        let pageObjects = pages.map { _ in (page: writer.reserve(), content: writer.reserve()) }

        writer.write(catalog, "<< /Type /Catalog /Pages \(pageTree) 0 R >>")
        let kids = pageObjects.map { "\($0.page) 0 R" }.joined(separator: " ")
        writer.write(
            pageTree,
            "<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) /MediaBox [0 0 \(pdfNumber(width)) \(pdfNumber(height))] >>")
        for (font, number) in fonts {
            writer.write(number, "<< /Type /Font /Subtype /Type1 /BaseFont /\(font.baseFont) /Encoding /WinAnsiEncoding >>")
        }
        writer.write(
            info,
            "<< /Title \(pdfLiteral(WinAnsi.encode(title))) /Producer \(pdfLiteral(WinAnsi.encode(producer))) >>")
        let fontResources = fonts.map { "/\($0.0.rawValue) \($0.1) 0 R" }.joined(separator: " ")
        for (content, objects) in zip(pages, pageObjects) {
            writer.write(
                objects.page,
                "<< /Type /Page /Parent \(pageTree) 0 R /Resources << /Font << \(fontResources) >> /ProcSet [/PDF /Text] >> "
                    + "/Contents \(objects.content) 0 R >>")
            writer.writeStream(objects.content, data: Array(content.operations.utf8))
        }
        return writer.finish(root: catalog, info: info)
    }
}
