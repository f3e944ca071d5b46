import Logging
import ORM
import PostgresDriver

/// The outgoing e-mail table (`woow_mail_outbox`): every message the product sends is written
/// here first, in the transaction of the action that sends it (no e-mail for a rolled-back
/// invitation, no invitation without its e-mail).
///
/// With an SMTP relay configured the message starts `queued` and ``MailSender`` delivers it
/// (`sent`, or `failed` with `last_error` after its retries). Without one it is created `kept`:
/// it stays in the outbox for an operator to read, and the server logs that it was kept (the
/// recipient and subject, never the body, which may hold a secret link).
public enum MailOutbox {
    /// The state a new message starts in.
    public static func initialState(smtp: SMTPConfiguration?) -> String { smtp == nil ? "kept" : "queued" }

    /// Adds a message; returns its id.
    @discardableResult
    public static func enqueue(
        _ message: MailMessage, team: Int64?, user: Int64?, smtp: SMTPConfiguration?, in transaction: ORMTransaction,
        logger: Logger
    ) async throws -> Int64 {
        let state = initialState(smtp: smtp)
        let id = try await transaction.query(
            """
            INSERT INTO woow_mail_outbox (team_id, email_to, subject, body, state, create_uid, write_uid)
            VALUES (\(team.postgresBind), \(message.to), \(message.subject), \(message.body), \(state), \(user.postgresBind), \(user.postgresBind))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        if state == "kept" {
            logger.notice(
                "mail kept in the outbox: no SMTP relay configured (WOOW_SMTP_HOST)",
                metadata: ["mail.id": "\(id)", "mail.to": "\(message.to)", "mail.subject": "\(message.subject)"])
        } else {
            logger.info("mail queued", metadata: ["mail.id": "\(id)", "mail.to": "\(message.to)"])
        }
        return id
    }
}
