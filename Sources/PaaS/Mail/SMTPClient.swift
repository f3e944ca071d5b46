import Foundation
import NIOCore
import NIOPosix

/// One e-mail to send: a single recipient, a subject and a plain-text (UTF-8) body.
public struct MailMessage: Sendable, Hashable {
    /// The recipient's address (`ana@example.com`).
    public var to: String
    /// The subject line.
    public var subject: String
    /// The plain-text body (any line endings; sent as CRLF).
    public var body: String

    /// Creates a message.
    public init(to: String, subject: String, body: String) {
        self.to = to
        self.subject = subject
        self.body = body
    }
}

/// Why an SMTP exchange failed. `isPermanent` is true for 5xx replies (the relay refused the
/// message; retrying the same message will not help).
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, with the server's reply when there was one.
    public let message: String
    /// The reply code that ended the exchange (nil for network errors and timeouts).
    public let code: Int?

    /// Creates an error.
    public init(_ message: String, code: Int? = nil) {
        self.message = message
        self.code = code
    }

    /// A 5xx reply.
    public var isPermanent: Bool { (code ?? 0) >= 500 }
    public var description: String { message }
}

/// A reply of an SMTP server: the three-digit code and its text lines (multi-line replies joined).
public struct SMTPReply: Sendable, Hashable {
    /// The reply code (`250`).
    public let code: Int
    /// The text of every line, without the code.
    public let lines: [String]
}

/// A minimal SMTP client (RFC 5321) over plain TCP with SwiftNIO: greeting, `EHLO` (falling
/// back to `HELO`), `MAIL FROM`, `RCPT TO`, `DATA` with dot-stuffing, `QUIT`. Every reply code is
/// checked; the connection has a connect timeout and every reply a read timeout (the channel is
/// closed when it expires). No TLS and no AUTH: point it at a local relay (Postfix, an MTA
/// sidecar) that forwards to the outside world.
///
/// ```swift
/// let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: 25))
/// try await client.send(MailMessage(to: "ana@example.com", subject: "Hi", body: "Hello"))
/// ```
public struct SMTPClient: Sendable {
    /// The relay.
    public let configuration: SMTPConfiguration
    /// How long to wait for the connection and for each reply.
    public let timeout: Duration
    /// The name announced in `EHLO`.
    public let heloName: String

    /// Creates a client for a relay.
    public init(configuration: SMTPConfiguration, timeout: Duration = .seconds(30), heloName: String = "woow.localhost") {
        self.configuration = configuration
        self.timeout = timeout
        self.heloName = heloName
    }

    /// Sends one message; throws ``SMTPError`` when the relay refuses it or cannot be reached.
    public func send(_ message: MailMessage) async throws {
        let sender = Self.address(in: configuration.from)
        guard Self.isSafeAddress(sender), Self.isSafeAddress(message.to) else {
            throw SMTPError("invalid sender or recipient address", code: 501)
        }
        let timeoutAmount = TimeAmount.nanoseconds(
            timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        let channel: NIOAsyncChannel<SMTPReply, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeoutAmount)
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError("cannot connect to \(configuration.host):\(configuration.port): \(error)")
        }
        let data = Self.data(for: message, from: configuration.from, heloName: heloName)
        let heloName = heloName
        try await channel.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            /// Waits for the next reply (closing the channel if it does not come in time) and checks its code.
            func expect(_ accepted: Set<Int>, after step: String) async throws -> SMTPReply {
                let timer = channel.channel.eventLoop.scheduleTask(in: timeoutAmount) { channel.channel.close(promise: nil) }
                defer { timer.cancel() }
                guard let reply = try await replies.next() else {
                    throw SMTPError("connection closed or timed out waiting for the reply to \(step)")
                }
                guard accepted.contains(reply.code) else {
                    throw SMTPError(
                        "\(step) refused: \(reply.code) \(reply.lines.joined(separator: " "))", code: reply.code)
                }
                return reply
            }
            func command(_ line: String, expecting accepted: Set<Int>) async throws -> SMTPReply {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
                return try await expect(accepted, after: line.split(separator: ":").first.map(String.init) ?? line)
            }
            _ = try await expect([220], after: "the greeting")
            do {
                _ = try await command("EHLO \(heloName)", expecting: [250])
            } catch let error as SMTPError where error.code.map({ (500...504).contains($0) }) == true {
                _ = try await command("HELO \(heloName)", expecting: [250])
            }
            _ = try await command("MAIL FROM:<\(sender)>", expecting: [250])
            _ = try await command("RCPT TO:<\(message.to)>", expecting: [250, 251])
            _ = try await command("DATA", expecting: [354])
            try await outbound.write(ByteBuffer(string: data))
            _ = try await expect([250], after: "the message data")
            // The message is accepted; a relay that answers QUIT badly changes nothing.
            _ = try? await command("QUIT", expecting: [221])
        }
    }

    /// The address inside `Name <address>`, or the whole text.
    static func address(in mailbox: String) -> String {
        if let open = mailbox.lastIndex(of: "<"), let close = mailbox.lastIndex(of: ">"), open < close {
            return String(mailbox[mailbox.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
        }
        return mailbox.trimmingCharacters(in: .whitespaces)
    }

    /// No spaces, angle brackets or line breaks (they would change the SMTP command).
    static func isSafeAddress(_ address: String) -> Bool {
        !address.isEmpty && address.contains("@")
            && !address.unicodeScalars.contains { $0.value < 0x21 || $0 == "<" || $0 == ">" || $0.value == 0x7F }
    }

    /// The `DATA` payload: headers, a blank line, the dot-stuffed CRLF body and the final `.`.
    static func data(for message: MailMessage, from: String, heloName: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let headers = [
            "From: \(headerValue(from))",
            "To: <\(message.to)>",
            "Subject: \(encodedWord(headerValue(message.subject)))",
            "Date: \(formatter.string(from: Date()))",
            "Message-ID: <\(UUID().uuidString.lowercased())@\(heloName)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        var lines = message.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let body = lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }
        return (headers + [""] + body).joined(separator: "\r\n") + "\r\n.\r\n"
    }

    /// A header value on one line (line breaks would inject headers).
    static func headerValue(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    /// RFC 2047 `=?UTF-8?B?…?=` for non-ASCII header text.
    static func encodedWord(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII }) else { return text }
        return "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }
}

/// Splits the server's byte stream into replies: lines `250-…` continue a reply, `250 …` ends it.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply
    private var pending: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw SMTPError("reply line too long") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex + 1
        var line = buffer.readString(length: length) ?? ""
        while line.hasSuffix("\n") || line.hasSuffix("\r") { line.removeLast() }
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(code)
        else { throw SMTPError("malformed reply line: \(line.prefix(80))") }
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        pending.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        if separator == UInt8(ascii: "-") { return .continue }
        context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
        pending = []
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue, buffer.readableBytes > 0 {}
        return .needMoreData
    }
}
