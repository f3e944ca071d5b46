/// Settings of the PaaS application: plan limits, the simulated deployment, invitations, e-mail.
/// Read by `ServerConfiguration` from `WOOW_*` variables (see docs/configuration.md).
public struct PaaSConfiguration: Sendable {
    /// Limits per plan (`free`, `pro`, `enterprise`).
    public var planLimits: [String: PlanLimits]
    /// How long the simulated deployment (deploy, start, restart) takes before the worker moves
    /// the app to `running`.
    public var deploymentDelay: Duration
    /// How long each of the two steps of a simulated hub backup or restore takes (pending →
    /// in_progress → completed).
    public var backupStepDelay: Duration
    /// How often the worker looks for due jobs.
    public var workerPollInterval: Duration
    /// Whether this instance runs the background worker (several instances may; they share jobs).
    public var runWorker: Bool
    /// The domain apps, hubs and tunnels get public URLs under (`https://<slug>.<domain>`).
    public var publicDomain: String
    /// The public base URL of the web front end, used in invitation links.
    public var frontendURL: String
    /// How long an invitation stays valid.
    public var invitationLifetime: Duration
    /// The SMTP relay for outgoing mail; `nil` keeps messages in the outbox table only.
    public var smtp: SMTPConfiguration?
    /// Largest avatar image accepted, in bytes.
    public var maxAvatarSize: Int
    /// The payment provider cards are tokenized and charged with (the built-in test gateway).
    public var paymentGateway: any PaymentGateway = TestPaymentGateway()
    /// How often the metering service charges running apps (it charges whole elapsed hours).
    public var meteringInterval: Duration = .seconds(300)
    /// Whether this instance runs the metering service (several instances may; they serialise on
    /// each team's row).
    public var runMetering: Bool = true

    /// Creates a configuration with defaults.
    public init(
        planLimits: [String: PlanLimits] = PlanLimits.defaults, deploymentDelay: Duration = .seconds(5),
        workerPollInterval: Duration = .seconds(1), runWorker: Bool = true, publicDomain: String = "woow.app",
        frontendURL: String = "http://localhost:8069", invitationLifetime: Duration = .seconds(7 * 86400),
        smtp: SMTPConfiguration? = nil, maxAvatarSize: Int = 512 * 1024, backupStepDelay: Duration = .seconds(3)
    ) {
        self.backupStepDelay = backupStepDelay
        self.planLimits = planLimits
        self.deploymentDelay = deploymentDelay
        self.workerPollInterval = workerPollInterval
        self.runWorker = runWorker
        self.publicDomain = publicDomain
        self.frontendURL = frontendURL
        self.invitationLifetime = invitationLifetime
        self.smtp = smtp
        self.maxAvatarSize = maxAvatarSize
    }

    /// The limits of a plan (an unknown plan gets the free plan's).
    public func limits(for plan: String) -> PlanLimits {
        planLimits[plan] ?? planLimits["free"] ?? PlanLimits.defaults["free"]!
    }
}

/// An SMTP relay (plain SMTP; use a local relay for TLS to the outside world).
public struct SMTPConfiguration: Sendable, Hashable {
    /// Host name or address.
    public var host: String
    /// Port (25 or 587 for a local relay).
    public var port: Int
    /// The envelope and `From:` sender.
    public var from: String

    /// Creates a relay configuration.
    public init(host: String, port: Int = 25, from: String = "WoowTech <no-reply@woow.app>") {
        self.host = host
        self.port = port
        self.from = from
    }
}
