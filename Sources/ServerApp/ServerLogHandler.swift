import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The server's log handler: one line per message on standard error,
/// `2026-12-02T10:15:04Z warning woow : request.id=1f2e-3a [WebAPI] message`.
///
/// Unlike swift-log's `StreamLogHandler`, which formats its metadata again whenever one key is set,
/// this handler only stores metadata and formats it when a message is actually written. Every
/// request tags its logger with its id, and at the default level nothing per request is written,
/// so the formatting cost is paid only for lines that appear.
public struct ServerLogHandler: LogHandler {
    /// The logger's label (`woow`).
    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler writing to standard error.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = self.line(for: event)
        // One write(2) per line: lines from concurrent requests do not interleave.
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// The text written for `event`, newline included: time, level, label, the metadata sorted by
    /// key (the handler's, the provider's, then the event's, later ones winning), source, message.
    public func line(for event: LogEvent) -> String {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var line = Self.timestamp() + " \(event.level) \(label) :"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += " [\(event.source)] \(event.message)"
        if let error = event.error { line += " error=\(String(reflecting: error))" }
        return line + "\n"
    }

    /// The current time in UTC, to the second (`2026-12-02T10:15:04Z`).
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
