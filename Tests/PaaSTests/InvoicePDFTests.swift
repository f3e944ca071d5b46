import Foundation
import PaaS
import Testing
import TestSupport

/// The invoice PDF renderer, read back with poppler's `pdftotext` and `pdfinfo`
/// (Debian `poppler-utils`, installed by `scripts/test`), plus our own check of the xref table.
@Suite("PaaS: invoice PDF")
struct InvoicePDFTests {
    static func invoice(lines: [InvoiceDocument.Line], billTo: [String] = ["1 Main Street", "Springfield"]) -> InvoiceDocument {
        InvoiceDocument(
            number: "INV-2026-000042", date: "2026-03-01", status: "paid", teamName: "WoowTech Demo",
            billTo: billTo, lines: lines, total: lines.reduce(Money.zero) { $0 + $1.amount }, currency: "USD")
    }

    @Test func anInvoiceShowsItsFactsEveryLineAndTheTotal() async throws {
        let lines = [
            InvoiceDocument.Line(description: "Odoo Community — Starter plan, March", amount: Money(cents: 1250)),
            InvoiceDocument.Line(description: "Extra storage 10 GB", amount: Money(cents: 300)),
            InvoiceDocument.Line(description: "Credit for downtime", amount: Money(cents: -75)),
        ]
        let pdf = InvoicePDF.render(Self.invoice(lines: lines))
        try PDFStructure.check(pdf)
        let read = try await PDFReader.read(pdf)
        #expect(read.pages == 1)
        for expected in [
            "INV-2026-000042", "2026-03-01", "paid", "USD", "WoowTech Demo", "1 Main Street", "Springfield",
            "Odoo Community — Starter plan, March", "12.50", "Extra storage 10 GB", "3.00", "Credit for downtime", "-0.75",
            "Total", "14.75", "Page 1 of 1",
        ] {
            #expect(read.text.contains(expected), "missing \(expected)")
        }
        #expect(read.info.split(separator: "\n").contains { $0.hasPrefix("Title:") && $0.hasSuffix(" Invoice INV-2026-000042") })
    }

    @Test func theSameInvoiceGivesTheSameBytes() {
        let invoice = Self.invoice(lines: (1...30).map { .init(description: "Line \($0)", amount: Money(cents: Int64($0) * 99)) })
        #expect(InvoicePDF.render(invoice) == InvoicePDF.render(invoice))
        var other = invoice
        other.lines[3].amount = Money(cents: 1)
        #expect(InvoicePDF.render(other) != InvoicePDF.render(invoice))
    }

    @Test func twoHundredLinesRunOverSixPagesInOrder() async throws {
        let lines = (1...200).map { InvoiceDocument.Line(description: "Service item number \($0)", amount: Money(cents: Int64($0) * 101)) }
        let invoice = Self.invoice(lines: lines)
        let pdf = InvoicePDF.render(invoice)
        try PDFStructure.check(pdf)
        let read = try await PDFReader.read(pdf)
        // Page 1 holds 28 one-line rows under the heading, the next ones 38 each: 28 + 4 × 38 + 20.
        #expect(read.pages == 6)
        for page in 1...6 { #expect(read.text.contains("Page \(page) of 6")) }
        #expect(!read.text.contains("Page 7"))
        let rows = read.text.split(separator: "\n").filter { $0.hasPrefix("Service item number ") }
        #expect(rows.count == 200)
        for (index, row) in rows.enumerated() {
            #expect(row == "Service item number \(index + 1) \(lines[index].amount)")
        }
        #expect(read.text.contains("Total \(invoice.total)"))
        #expect(invoice.total.description == "20301.00")
        // The table header is repeated on every page.
        #expect(read.text.components(separatedBy: "Description Amount").count - 1 == 6)
    }

    @Test func anEmptyInvoiceIsOnePageWithAZeroTotal() async throws {
        let pdf = InvoicePDF.render(Self.invoice(lines: [], billTo: []))
        try PDFStructure.check(pdf)
        let read = try await PDFReader.read(pdf)
        #expect(read.pages == 1)
        #expect(read.text.contains("Total 0.00"))
    }

    @Test func hostileTextIsPrintedLiterallyAndCannotInjectOperators() async throws {
        let injection = ") Tj ET BT /F2 48 Tf 100 400 Td (INJECTED) Tj ET BT ("
        let hostile = [
            injection,
            "Back\\slash \\) \\\\( trailing\\",
            "((( unbalanced",
            "Café Zürich – 5 € “quoted” ‘single’ • ½",
            "東京 Привет 🚀 e\u{301}",
            "nul\u{0}bell\u{7}del\u{7F}c1\u{85}",
            "tab\tnew\nline\r\nend",
            "%PDF-1.4 endstream endobj xref trailer %%EOF",
        ]
        var lines = hostile.enumerated().map { InvoiceDocument.Line(description: $1, amount: Money(cents: Int64($0 + 1))) }
        let words = (1...120).map { "word\($0)" }.joined(separator: " ")
        let unbroken = String(repeating: "X", count: 300)
        lines.append(.init(description: words, amount: Money(cents: 9999)))
        lines.append(.init(description: unbroken, amount: Money(cents: 8888)))
        var invoice = Self.invoice(lines: lines, billTo: ["Line (one) \\ two", "Ünïcödé 北京"])
        invoice.teamName = "Team ) Tj (x"
        invoice.number = "INV-(1)\\"
        let pdf = InvoicePDF.render(invoice)
        try PDFStructure.check(pdf)
        let read = try await PDFReader.read(pdf)
        #expect(read.pages == 1)
        let expected = [
            injection,
            "Back\\slash \\) \\\\( trailing\\",
            "((( unbalanced",
            "Café Zürich – 5 € “quoted” ‘single’ • ½",
            "?? ?????? ? é",
            "nul?bell?del?c1?",
            "tab new line end",
            "%PDF-1.4 endstream endobj xref trailer %%EOF",
            "Line (one) \\ two", "Ünïcödé ??", "Team ) Tj (x", "INV-(1)\\",
        ]
        for text in expected { #expect(read.text.contains(text), "missing \(text)") }
        // The injected operators drew nothing of their own: the 48-point text is not a separate line.
        #expect(!read.text.split(separator: "\n").contains { $0 == "INJECTED" })
        // The long texts wrap inside the page and lose nothing.
        // (Amounts sit on a row's first line, so they are taken out before comparing.)
        let squeezed = read.text.replacingOccurrences(of: "99.99", with: "").replacingOccurrences(of: "88.88", with: "")
            .filter { !$0.isWhitespace }
        #expect(squeezed.contains(words.filter { !$0.isWhitespace }))
        #expect(squeezed.contains(unbroken))
        #expect(read.text.split(separator: "\n").allSatisfy { $0.count < 120 })
        // Every byte of every content stream is 7-bit: non-ASCII text travels as octal escapes.
        #expect(pdf.dropFirst(15).allSatisfy { $0 < 0x80 })
    }

    @Test func aVeryLongDescriptionRunsOntoMorePages() async throws {
        let long = (1...3000).map { "part\($0)" }.joined(separator: " ")
        let invoice = Self.invoice(lines: [.init(description: long, amount: Money(cents: 4242))])
        let pdf = InvoicePDF.render(invoice)
        try PDFStructure.check(pdf)
        let read = try await PDFReader.read(pdf)
        #expect(read.pages > 1)
        #expect(read.text.contains("Page \(read.pages) of \(read.pages)"))
        for marker in ["part1 ", "part1500 ", "part3000"] { #expect(read.text.contains(marker)) }
        #expect(read.text.contains("42.42"))
    }
}

/// The file's skeleton checked byte by byte: header, every xref offset pointing at its object,
/// `startxref` pointing at the table, and each stream's `/Length` matching its data.
enum PDFStructure {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func check(_ pdf: [UInt8]) throws {
        let text = String(decoding: pdf, as: UTF8.self)
        guard pdf.starts(with: Array("%PDF-1.4\n".utf8)), text.hasSuffix("%%EOF\n") else { throw Failure(description: "header or EOF") }
        let tail = text.components(separatedBy: "startxref\n").last!
        guard let xref = Int(tail.prefix { $0.isNumber }), Self.at(pdf, xref, "xref\n") else { throw Failure(description: "startxref") }
        let table = String(decoding: pdf[xref...], as: UTF8.self).components(separatedBy: "trailer")[0]
        let rows = table.components(separatedBy: "\n")
        let count = Int(rows[1].split(separator: " ")[1])!
        let entries = Array(String(decoding: pdf[(xref + 5 + rows[1].utf8.count + 1)...], as: UTF8.self).utf8.prefix(20 * count))
        guard entries.count == 20 * count else { throw Failure(description: "short xref") }
        for number in 1..<count {
            let entry = String(decoding: entries[(20 * number)..<(20 * number + 20)], as: UTF8.self)
            guard entry.hasSuffix(" 00000 n\r\n"), let offset = Int(entry.prefix(10)), Self.at(pdf, offset, "\(number) 0 obj\n") else {
                throw Failure(description: "xref entry \(number): \(entry)")
            }
            // A stream's declared length ends exactly at `endstream`.
            let object = String(decoding: pdf[offset...].prefix(200), as: UTF8.self)
            if let range = object.range(of: "<< /Length "), object.contains(">>\nstream\n") {
                let length = Int(object[range.upperBound...].prefix { $0.isNumber })!
                let start = offset + object.utf8.distance(from: object.utf8.startIndex, to: object.range(of: "stream\n")!.upperBound.samePosition(in: object.utf8)!)
                guard Self.at(pdf, start + length, "\nendstream") else { throw Failure(description: "stream length of \(number)") }
            }
        }
        guard text.contains("trailer\n<< /Size \(count) ") else { throw Failure(description: "trailer size") }
    }

    private static func at(_ pdf: [UInt8], _ offset: Int, _ expected: String) -> Bool {
        offset >= 0 && offset <= pdf.count && pdf[offset...].starts(with: Array(expected.utf8))
    }
}

/// A PDF read back by poppler: `pdftotext -raw` (content-stream order) and `pdfinfo`.
struct PDFReader {
    var text: String
    var info: String
    var pages: Int

    static func read(_ pdf: [UInt8]) async throws -> PDFReader {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("woow-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("invoice.pdf")
        let output = directory.appendingPathComponent("invoice.txt")
        try Data(pdf).write(to: file)
        let toText = try await ProcessRunner.run([try tool("pdftotext"), "-raw", "-enc", "UTF-8", file.path, output.path])
        #expect(toText.status == 0)
        #expect(toText.output.isEmpty, "pdftotext complained: \(toText.output)")
        let info = try await ProcessRunner.run([try tool("pdfinfo"), file.path])
        #expect(info.status == 0)
        #expect(!info.output.contains("Error"), "pdfinfo complained: \(info.output)")
        let pagesLine = info.output.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        let pages = Int(pagesLine?.split(separator: " ").last ?? "") ?? -1
        return PDFReader(text: try String(contentsOf: output, encoding: .utf8), info: info.output, pages: pages)
    }

    static func tool(_ name: String) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { throw PDFStructure.Failure(description: "\(name) is not installed: apt-get install poppler-utils") }
        return path
    }
}
