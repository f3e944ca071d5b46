import Foundation
import JSONRPC
import Logging
import PaaS
import Testing
import TestSupport

/// The outbox and its SMTP delivery, against a real SMTP server started by the test.
@Suite("PaaS: mail outbox and SMTP", .serialized)
struct MailSenderTests {
    static let logger = Logger(label: "mail-test")

    @Test func anInvitationIsQueuedThenDeliveredWithTheAcceptLink() async throws {
        let server = try TestSMTPServer()
        defer { server.stop() }
        let smtp = SMTPConfiguration(host: "127.0.0.1", port: server.port, from: "WoowTech <no-reply@woow.test>")
        let fixture = try await PaaSFixture.make("mail-deliver") { $0.paas.smtp = smtp }
        let sender = MailSender(database: fixture.app.client, smtp: smtp, retryDelay: .zero, timeout: .seconds(10), logger: Self.logger)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            try await api.call(.post, "/team/invite", ["email": "mailme@example.com", "role": "user"], session: admin, via: .rest)
                .expectSuccess(.created)
            #expect(try await fixture.scalar("SELECT state FROM woow_mail_outbox", as: String.self) == "queued")
            let token = try await fixture.invitationToken(to: "mailme@example.com")

            let report = try await sender.runOnce()
            #expect(report == MailSender.Report(sent: 1, retried: 0, failed: 0))
            let row = try await fixture.app.client.query("SELECT state, attempts, sent_at IS NOT NULL, last_error FROM woow_mail_outbox")[0]
            #expect(try row.decode(String.self, at: 0) == "sent")
            #expect(try row.decode(Int.self, at: 1) == 1)
            #expect(try row.decode(Bool.self, at: 2))
            #expect(try row.decode(String?.self, at: 3) == nil)

            let message = try #require(server.messages.first)
            #expect(message.mailFrom == "<no-reply@woow.test>")
            #expect(message.recipients == ["<mailme@example.com>"])
            #expect(message.dataLines.contains("To: <mailme@example.com>"))
            #expect(message.dataLines.contains("Subject: You are invited to join WoowTech Demo on WoowTech"))
            #expect(message.dataLines.contains("http://localhost:8069/invite/accept?token=\(token)"))
            #expect(server.commands.first?.hasPrefix("EHLO ") == true)
            #expect(server.commands.last == "QUIT")
            // Nothing left to send.
            #expect(try await sender.runOnce() == MailSender.Report())
            #expect(server.messages.count == 1)
        }
    }

    @Test func theClientDotStuffsAndEncodesTheMessage() async throws {
        let server = try TestSMTPServer()
        defer { server.stop() }
        let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: server.port, from: "no-reply@woow.test"))
        try await client.send(MailMessage(to: "dots@example.com", subject: "Héllo", body: "first\n.hidden\n..two\r\nlast\n"))
        let message = try #require(server.messages.first)
        let body = Array(message.dataLines.drop { !$0.isEmpty }.dropFirst())
        #expect(body == ["first", "..hidden", "...two", "last"])
        #expect(message.dataLines.contains("Subject: =?UTF-8?B?SMOpbGxv?="))
        #expect(message.dataLines.contains("Content-Type: text/plain; charset=utf-8"))
    }

    @Test func refusedMessagesAreRetriedThenFailedWithTheError() async throws {
        let server = try TestSMTPServer()
        defer { server.stop() }
        let smtp = SMTPConfiguration(host: "127.0.0.1", port: server.port)
        let fixture = try await PaaSFixture.make("mail-retry") { $0.paas.smtp = smtp }
        let sender = MailSender(
            database: fixture.app.client, smtp: smtp, retryDelay: .zero, maxAttempts: 2, timeout: .seconds(10), logger: Self.logger)
        try await fixture.test { api in
            let admin = try await api.login("admin")
            try await api.call(.post, "/team/invite", ["email": "busy@example.com", "role": "user"], session: admin, via: .jsonRPC)
                .expectSuccess(.created)
            server.rcptReply = "451 4.3.0 Try again later"
            #expect(try await sender.runOnce() == MailSender.Report(sent: 0, retried: 1, failed: 0))
            var row = try await fixture.app.client.query("SELECT state, attempts, last_error FROM woow_mail_outbox")[0]
            #expect(try row.decode(String.self, at: 0) == "queued")
            #expect(try row.decode(Int.self, at: 1) == 1)
            #expect(try row.decode(String.self, at: 2).contains("451"))
            #expect(try await sender.runOnce() == MailSender.Report(sent: 0, retried: 0, failed: 1))
            row = try await fixture.app.client.query("SELECT state, attempts FROM woow_mail_outbox")[0]
            #expect(try row.decode(String.self, at: 0) == "failed")
            #expect(try row.decode(Int.self, at: 1) == 2)

            // A permanent refusal fails at once.
            try await api.call(.post, "/team/invite", ["email": "nobody@example.com", "role": "user"], session: admin, via: .rest)
                .expectSuccess(.created)
            server.rcptReply = "550 5.1.1 No such user"
            #expect(try await sender.runOnce() == MailSender.Report(sent: 0, retried: 0, failed: 1))
            #expect(try await fixture.scalar(
                "SELECT last_error FROM woow_mail_outbox WHERE email_to = 'nobody@example.com'", as: String.self).contains("550"))
            #expect(server.messages.isEmpty)
        }
    }

    @Test func anUnreachableRelayIsAnErrorAndNoRelayKeepsMessages() async throws {
        let server = try TestSMTPServer()
        let port = server.port
        server.stop()
        let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: port), timeout: .seconds(5))
        await #expect(throws: SMTPError.self) {
            try await client.send(MailMessage(to: "x@example.com", subject: "s", body: "b"))
        }
        #expect(MailOutbox.initialState(smtp: nil) == "kept")
        #expect(MailOutbox.initialState(smtp: SMTPConfiguration(host: "relay")) == "queued")
    }
}
