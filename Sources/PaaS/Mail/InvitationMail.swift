/// The invitation e-mail: who invites whom to which team, with the accept link
/// `<frontendURL>/invite/accept?token=<token>` (the only place the raw token ever goes).
public enum InvitationMail {
    /// The accept link for a token.
    public static func acceptLink(frontendURL: String, token: String) -> String {
        let base = frontendURL.hasSuffix("/") ? String(frontendURL.dropLast()) : frontendURL
        return "\(base)/invite/accept?token=\(token)"
    }

    /// The message for an invitee.
    public static func message(
        to email: String, team: String, role: String, inviter: String, link: String, expiresAt: String, reminder: Bool
    ) -> MailMessage {
        let article = role == "admin" ? "an" : "a"
        let body = """
            Hello,

            \(inviter) invited you to join the team "\(team)" on WoowTech as \(article) \(role).

            Accept the invitation and choose your password here:
            \(link)

            The link is valid until \(expiresAt) (UTC) and can be used once.
            If you did not expect this invitation, you can ignore this message.

            -- WoowTech
            """
        let subject = (reminder ? "Reminder: " : "") + "You are invited to join \(team) on WoowTech"
        return MailMessage(to: email, subject: subject, body: body)
    }
}
