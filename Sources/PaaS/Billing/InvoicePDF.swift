/// Renders an `InvoiceDocument` as a PDF 1.4 file on A4 pages in Helvetica: a heading with the
/// invoice's number, date, status and currency, the team billed and its address, then a table of
/// lines (descriptions wrapped, amounts right-aligned) continued on as many pages as needed with
/// its header repeated, the total, and "Page n of m" on every page. Text outside WinAnsi is
/// printed as `?`. The same invoice always gives the same bytes.
public enum InvoicePDF {
    /// The PDF file of `invoice`.
    public static func render(_ invoice: InvoiceDocument) -> [UInt8] {
        var layout = InvoiceLayout()
        layout.heading(invoice)
        layout.table(invoice)
        let pages = layout.finishedPages(footer: invoice.number)
        return PDFWriter.document(
            pages: pages, width: InvoiceLayout.pageWidth, height: InvoiceLayout.pageHeight,
            title: "Invoice \(invoice.number)", producer: "WoowTech")
    }
}

/// The page flow of an invoice: a cursor going down the page, and a new page when the next line
/// does not fit above the footer.
struct InvoiceLayout {
    static let pageWidth = 595.0
    static let pageHeight = 842.0
    static let left = 56.0
    static let right = pageWidth - 56
    static let top = pageHeight - 56
    /// The lowest baseline of body text; the footer sits below it.
    static let bottom = 72.0
    static let footerBaseline = 40.0
    static let bodySize = 10.0
    static let lineHeight = 14.0
    /// Where the values of the heading start.
    static let valueColumn = left + 104
    /// The amount column's width; descriptions use the rest of the line.
    static let amountWidth = 120.0
    static let descriptionWidth = right - left - amountWidth - 16

    private var pages: [PDFContent] = []
    private var page = PDFContent()
    private var y = top
    /// Whether a page break must repeat the table header.
    private var inTable = false

    /// The invoice's title block, its facts and whom it bills.
    mutating func heading(_ invoice: InvoiceDocument) {
        page.text("WoowTech", x: Self.left, y: y - 20, font: .bold, size: 20)
        page.textRight("INVOICE", right: Self.right, y: y - 20, font: .bold, size: 20, gray: 0.35)
        y -= 52
        fact("Invoice number", invoice.number)
        fact("Date", invoice.date)
        fact("Status", invoice.status)
        fact("Currency", invoice.currency)
        y -= 10
        let billTo = [invoice.teamName] + invoice.billTo
        for (index, line) in billTo.enumerated() {
            let label = index == 0 ? "Bill to" : ""
            fact(label, line, font: index == 0 ? .bold : .regular)
        }
        y -= 18
    }

    /// The lines, each description wrapped to its column with the amount on its first line, then
    /// the total.
    mutating func table(_ invoice: InvoiceDocument) {
        ensureRoom(for: 2 * Self.lineHeight + 8)
        tableHeader()
        inTable = true
        for line in invoice.lines {
            let wrapped = Self.wrap(line.description, font: .regular, size: Self.bodySize, width: Self.descriptionWidth)
            for (index, text) in wrapped.enumerated() {
                ensureRoom(for: Self.lineHeight)
                page.text(text, x: Self.left, y: y - Self.bodySize, font: .regular, size: Self.bodySize)
                if index == 0 {
                    page.textRight(line.amount.description, right: Self.right, y: y - Self.bodySize, font: .regular, size: Self.bodySize)
                }
                y -= Self.lineHeight
            }
            y -= 4
        }
        inTable = false
        ensureRoom(for: Self.lineHeight + 10)
        page.rule(from: Self.left, to: Self.right, y: y, width: 1)
        y -= 6
        page.text("Total", x: Self.right - Self.amountWidth - 60, y: y - Self.bodySize - 1, font: .bold, size: Self.bodySize + 1)
        page.textRight(invoice.total.description, right: Self.right, y: y - Self.bodySize - 1, font: .bold, size: Self.bodySize + 1)
        y -= Self.lineHeight + 4
    }

    /// Every page, the last one included, each with its footer.
    consuming func finishedPages(footer: String) -> [PDFContent] {
        pages.append(page)
        let label = Self.wrap("Invoice \(footer)", font: .regular, size: 8, width: Self.right - Self.left - 90)[0]
        for index in pages.indices {
            pages[index].rule(from: Self.left, to: Self.right, y: Self.footerBaseline + 12, gray: 0.6)
            pages[index].text(label, x: Self.left, y: Self.footerBaseline, font: .regular, size: 8, gray: 0.35)
            pages[index].textRight(
                "Page \(index + 1) of \(pages.count)", right: Self.right, y: Self.footerBaseline, font: .regular, size: 8, gray: 0.35)
        }
        return pages
    }

    /// One labelled fact of the heading; a long value wraps under itself.
    private mutating func fact(_ label: String, _ value: String, font: PDFContent.Font = .bold) {
        let lines = Self.wrap(value, font: font, size: Self.bodySize, width: Self.right - Self.valueColumn)
        for (index, text) in lines.enumerated() {
            ensureRoom(for: Self.lineHeight)
            if index == 0, !label.isEmpty {
                page.text(label, x: Self.left, y: y - Self.bodySize, font: .regular, size: Self.bodySize, gray: 0.35)
            }
            page.text(text, x: Self.valueColumn, y: y - Self.bodySize, font: font, size: Self.bodySize)
            y -= Self.lineHeight
        }
    }

    private mutating func tableHeader() {
        page.box(x: Self.left - 4, y: y - Self.lineHeight - 2, width: Self.right - Self.left + 8, height: Self.lineHeight + 2, gray: 0.9)
        page.text("Description", x: Self.left, y: y - Self.bodySize - 1, font: .bold, size: Self.bodySize)
        page.textRight("Amount", right: Self.right, y: y - Self.bodySize - 1, font: .bold, size: Self.bodySize)
        y -= Self.lineHeight + 8
    }

    /// Starts a new page when `height` more points do not fit above the bottom margin.
    private mutating func ensureRoom(for height: Double) {
        guard y - height < Self.bottom else { return }
        pages.append(page)
        page = PDFContent()
        y = Self.top
        if inTable { tableHeader() }
    }

    /// `text` broken into lines no wider than `width`: at spaces where possible, inside a word
    /// that is wider than a line. Always at least one line (empty for empty text).
    static func wrap(_ text: String, font: PDFContent.Font, size: Double, width: Double) -> [String] {
        let encoded = WinAnsi.encode(text)
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        let space = UInt8(ascii: " ")
        for word in encoded.split(separator: space, omittingEmptySubsequences: true) {
            let candidate = current.isEmpty ? Array(word) : current + [space] + word
            if WinAnsi.width(ofEncoded: candidate, font: font, size: size) <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = []
            for byte in word {
                if !current.isEmpty, WinAnsi.width(ofEncoded: current + [byte], font: font, size: size) > width {
                    lines.append(current)
                    current = []
                }
                current.append(byte)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        // Back to Unicode so the lines travel as Strings; every byte round-trips through WinAnsi.
        return lines.map { String(String.UnicodeScalarView($0.map(WinAnsi.scalar(for:)))) }
    }
}
