/// How to reach PostgreSQL and how the pool behaves. Every setting has a default.
public struct PostgresConfiguration: Sendable {
    /// A libpq connection string or URI (`postgresql://user@host/db`, `host=/tmp dbname=woow`).
    public var connectionString: String
    /// The most connections the pool opens.
    public var maximumConnections: Int
    /// Server-side `statement_timeout`; the client also gives up (and cancels) shortly after it.
    public var statementTimeout: Duration
    /// How long opening a connection may take.
    public var connectTimeout: Duration
    /// How long a task waits for a free connection before failing with `.poolTimeout`.
    public var leaseTimeout: Duration
    /// Prepared statements cached per connection (0 disables preparing); a full cache is emptied
    /// (`DEALLOCATE ALL`) before the next new statement is prepared.
    public var statementCacheSize: Int
    /// How retries of transient failures (serialization, deadlock, lost connection) are paced.
    public var retry: RetryPolicy
    /// `application_name` reported to the server.
    public var applicationName: String
    /// A database name that replaces the one in ``connectionString`` (used to reach sibling databases).
    public var databaseOverride: String?

    /// Creates a configuration.
    public init(
        connectionString: String,
        maximumConnections: Int = 16,
        statementTimeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(5),
        leaseTimeout: Duration = .seconds(10),
        statementCacheSize: Int = 256,
        retry: RetryPolicy = .init(),
        applicationName: String = "woow",
        databaseOverride: String? = nil
    ) {
        self.databaseOverride = databaseOverride
        self.connectionString = connectionString
        self.maximumConnections = max(1, maximumConnections)
        self.statementTimeout = statementTimeout
        self.connectTimeout = connectTimeout
        self.leaseTimeout = leaseTimeout
        self.statementCacheSize = statementCacheSize
        self.retry = retry
        self.applicationName = applicationName
    }

    /// The libpq keyword/value pairs for a new connection.
    var libpqParameters: [(String, String)] {
        let timeoutMilliseconds = max(1, Int(statementTimeout.components.seconds * 1000
            + statementTimeout.components.attoseconds / 1_000_000_000_000_000))
        let connectSeconds = max(2, Int(connectTimeout.components.seconds))
        // libpq expands only the first `dbname` (a URI or key=value string); a later one is a plain name.
        return [("dbname", connectionString)] + (databaseOverride.map { [("dbname", $0)] } ?? []) + [
            ("connect_timeout", String(connectSeconds)),
            ("application_name", applicationName),
            ("client_encoding", "UTF8"),
            ("options", "-c statement_timeout=\(timeoutMilliseconds) -c TimeZone=UTC -c DateStyle=ISO,YMD"),
        ]
    }

    /// Paces the retries of transient failures.
    public struct RetryPolicy: Sendable {
        /// Attempts in all, the first included.
        public var maximumAttempts: Int
        /// The first backoff; later ones double, each with random jitter.
        public var initialBackoff: Duration
        /// The total time spent sleeping between attempts never exceeds this.
        public var maximumTotalBackoff: Duration

        /// Creates a policy; the defaults retry up to 6 times within about 2 s.
        public init(
            maximumAttempts: Int = 6, initialBackoff: Duration = .milliseconds(25),
            maximumTotalBackoff: Duration = .seconds(2)
        ) {
            self.maximumAttempts = max(1, maximumAttempts)
            self.initialBackoff = initialBackoff
            self.maximumTotalBackoff = maximumTotalBackoff
        }

        /// The sleep before retry number `attempt` (1-based), given what was slept so far; nil to stop.
        func backoff(beforeRetry attempt: Int, alreadySlept: Duration) -> Duration? {
            guard attempt < maximumAttempts else { return nil }
            let base = initialBackoff * (1 << min(attempt - 1, 10))
            let jittered = base * Double.random(in: 0.5...1.5)
            let remaining = maximumTotalBackoff - alreadySlept
            guard remaining > .zero else { return nil }
            return min(jittered, remaining)
        }
    }
}
