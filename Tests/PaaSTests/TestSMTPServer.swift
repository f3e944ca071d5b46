import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny real SMTP server for tests: listens on 127.0.0.1 (a free port), speaks the protocol
/// on its own thread with blocking sockets (never on the cooperative pool), and records every
/// command line and every message's raw `DATA` lines. `rcptReply` lets a test make the
/// recipient refused (`451 …` temporary, `550 …` permanent).
final class TestSMTPServer: @unchecked Sendable {
    /// One received message.
    struct Received: Sendable {
        var mailFrom = ""
        var recipients: [String] = []
        /// The DATA lines as sent (still dot-stuffed), without the final `.`.
        var dataLines: [String] = []
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var _messages: [Received] = []
    private var _commands: [String] = []
    private var _rcptReply = "250 OK"

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        guard port > 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var messages: [Received] { lock.withLock { _messages } }
    var commands: [String] { lock.withLock { _commands } }
    var rcptReply: String {
        get { lock.withLock { _rcptReply } }
        set { lock.withLock { _rcptReply = newValue } }
    }

    /// Stops listening (the accept loop ends).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            serve(connection)
            close(connection)
        }
    }

    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        func send(_ line: String) {
            let bytes = Array((line + "\r\n").utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
        func readLine() -> String? {
            while true {
                if let index = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    var line = Array(buffer[..<index])
                    buffer.removeSubrange(...index)
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count <= 0 { return nil }
                buffer += chunk[..<count]
            }
        }
        var current = Received()
        send("220 test.smtp ESMTP ready")
        while let line = readLine() {
            lock.withLock { _commands.append(line) }
            let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
            if verb == "EHLO" {
                send("250-test.smtp greets you")
                send("250 8BITMIME")
            } else if verb == "HELO" {
                send("250 test.smtp")
            } else if line.uppercased().hasPrefix("MAIL FROM:") {
                current = Received(mailFrom: String(line.dropFirst(10)))
                send("250 OK")
            } else if line.uppercased().hasPrefix("RCPT TO:") {
                let reply = rcptReply
                if reply.hasPrefix("2") { current.recipients.append(String(line.dropFirst(8))) }
                send(reply)
            } else if verb == "DATA" {
                send("354 End data with <CR><LF>.<CR><LF>")
                while let dataLine = readLine(), dataLine != "." { current.dataLines.append(dataLine) }
                let received = current
                lock.withLock { _messages.append(received) }
                send("250 OK queued")
            } else if verb == "QUIT" {
                send("221 Bye")
                return
            } else if verb == "RSET" || verb == "NOOP" {
                send("250 OK")
            } else {
                send("502 Command not implemented")
            }
        }
    }
}
