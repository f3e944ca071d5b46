import Logging
import PostgresDriver
import ServiceLifecycle

/// Delivers the `queued` messages of ``MailOutbox`` through the configured SMTP relay: a
/// `ServiceLifecycle.Service` of the server (one per instance; several instances share the
/// outbox safely).
///
/// Each message is claimed with `FOR UPDATE SKIP LOCKED` in its own transaction, sent, and marked
/// `sent` (with `sent_at`) before the commit, so two instances never send the same message at the
/// same time. Delivery is at-least-once: if the commit itself is lost after the relay accepted the
/// message, it is sent again later. A failure increments `attempts` and stores `last_error`; the
/// message is retried after `retryDelay × attempts` (measured from its last attempt), and becomes
/// `failed` after `maxAttempts` attempts or at once on a permanent (5xx) refusal.
///
/// Without an SMTP relay the service has nothing to do (messages are created `kept`) and just
/// waits for shutdown.
public struct MailSender: Service {
    /// What one pass did.
    public struct Report: Sendable, Hashable {
        /// Messages the relay accepted.
        public var sent = 0
        /// Messages that failed and will be retried.
        public var retried = 0
        /// Messages given up (`failed`).
        public var failed = 0

        /// Creates a report.
        public init(sent: Int = 0, retried: Int = 0, failed: Int = 0) {
            self.sent = sent
            self.retried = retried
            self.failed = failed
        }
    }

    let database: PostgresClient
    let client: SMTPClient?
    let pollInterval: Duration
    let retryDelay: Duration
    let maxAttempts: Int
    let batchSize: Int
    let logger: Logger

    /// Creates the sender; `smtp` nil disables it.
    public init(
        database: PostgresClient, smtp: SMTPConfiguration?, pollInterval: Duration = .seconds(2),
        retryDelay: Duration = .seconds(60), maxAttempts: Int = 5, timeout: Duration = .seconds(30), batchSize: Int = 50,
        logger: Logger
    ) {
        self.database = database
        self.client = smtp.map { SMTPClient(configuration: $0, timeout: timeout) }
        self.pollInterval = pollInterval
        self.retryDelay = retryDelay
        self.maxAttempts = max(1, maxAttempts)
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Sends what is due until graceful shutdown.
    public func run() async throws {
        guard client != nil else {
            logger.info("mail sender idle: no SMTP relay configured, messages stay in the outbox")
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await runOnce()
            } catch {
                logger.error("mail sender pass failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
        }
    }

    /// One pass: every due `queued` message (at most `batchSize`) is tried once.
    @discardableResult
    public func runOnce() async throws -> Report {
        var report = Report()
        guard let client else { return report }
        var tried: [Int64] = []
        let retrySeconds = Int64(retryDelay.components.seconds)
        let maxAttempts = maxAttempts
        let logger = logger
        while tried.count < batchSize {
            let outcome: (Int64, String)? = try await database.withTransaction { db in
                guard
                    let row = try await db.query(
                        """
                        SELECT id, email_to, subject, body, attempts FROM woow_mail_outbox
                        WHERE state = 'queued' AND id <> ALL(\(tried)::int8[])
                          AND write_date <= (now() AT TIME ZONE 'UTC') - make_interval(secs => attempts * \(retrySeconds))
                        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                        """
                    ).first
                else { return nil }
                let id = try row.decode(Int64.self, at: 0)
                let message = MailMessage(
                    to: try row.decode(String.self, at: 1), subject: try row.decode(String.self, at: 2),
                    body: try row.decode(String.self, at: 3))
                let attempts = try row.decode(Int.self, at: 4) + 1
                do {
                    try await client.send(message)
                    try await db.query(
                        """
                        UPDATE woow_mail_outbox SET state = 'sent', attempts = \(attempts), last_error = NULL,
                               sent_at = now() AT TIME ZONE 'UTC', write_date = now() AT TIME ZONE 'UTC'
                        WHERE id = \(id)
                        """)
                    logger.info("mail sent", metadata: ["mail.id": "\(id)", "mail.to": "\(message.to)"])
                    return (id, "sent")
                } catch {
                    let permanent = (error as? SMTPError)?.isPermanent ?? false
                    let state = permanent || attempts >= maxAttempts ? "failed" : "queued"
                    let text = String(String(describing: error).prefix(1000))
                    try await db.query(
                        """
                        UPDATE woow_mail_outbox SET state = \(state), attempts = \(attempts), last_error = \(text),
                               write_date = now() AT TIME ZONE 'UTC'
                        WHERE id = \(id)
                        """)
                    logger.warning(
                        "mail not sent", metadata: ["mail.id": "\(id)", "mail.state": "\(state)", "error": "\(text)"])
                    return (id, state)
                }
            }
            guard let (id, state) = outcome else { break }
            tried.append(id)
            switch state {
            case "sent": report.sent += 1
            case "failed": report.failed += 1
            default: report.retried += 1
            }
        }
        return report
    }
}
