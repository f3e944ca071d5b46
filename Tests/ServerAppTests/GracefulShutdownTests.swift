import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import JSONRPC
import Logging
import NIOCore
import PostgresDriver
import ServerApp
import ServiceLifecycle
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Graceful shutdown (security guide §5.6, GS-1): a request in flight when shutdown starts still
/// completes with its answer, new connections are no longer accepted, and the service group (or
/// the process, on SIGTERM) then exits.
///
/// To make "in flight" deterministic rather than timed, the test holds a row lock that the login
/// needs after its (600 000-round) password check, waits until PostgreSQL shows the request
/// blocked on it, starts the shutdown, waits until the listener is gone, and only then releases it.
@Suite("Graceful shutdown: in-flight requests complete")
struct GracefulShutdownTests {
    /// passlib's hash of `correct horse battery staple`, 600 000 rounds (a slow check, as in production).
    static let slowHash = "$pbkdf2-sha512$600000$V29vd1RlY2gtUGFhUy0xNg$sxYN85pAv8/0yGBt5gBhR1kPUJdyRv/RzF5BUa5gOuT0taiOqw0vaxHwoWObZuW5TIeBgEWwgEt/TwKAJVdBuw"
    static let slowPassword = "correct horse battery staple"

    @Test func aRequestInFlightCompletesAndTheServiceGroupExits() async throws {
        let app = try await TestApp.make("graceful") { $0.identity.passwordRounds = 600_000 }
        try await app.client.query("UPDATE res_users SET password = \(Self.slowHash) WHERE login = 'admin'")
        let gate = try await LoginGate.close(on: app.database, login: "admin")

        let port = Locked<Int?>(nil)
        var configuration = app.configuration
        configuration.port = 0
        let application = PortReportingApplication(
            base: WoowApplication.makeApplication(
                configuration: configuration, router: WoowApplication.makeRouter(services: app.services, configuration: configuration),
                logger: TestPostgres.logger),
            port: port)
        // The same group as `WoowServer`: pool, session reaper, then the HTTP server (shut down first).
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app.client),
                    .init(service: SessionReaper(database: app.client, sessions: app.services.sessions, logger: TestPostgres.logger)),
                    .init(service: application),
                ],
                gracefulShutdownSignals: [], logger: TestPostgres.logger))
        let running = Task { try await group.run() }

        do {
            try await eventually("the server listens") { port.value != nil }
            let listening = try #require(port.value)
            #expect(try await ServerProbe.health(port: listening) == .ok)

            let client = TestClient(host: "127.0.0.1", port: listening, configuration: .init(timeout: .seconds(120)))
            client.connect()
            let body = RPCBody.call([
                "db": .string(app.database.name), "login": "admin", "password": .string(Self.slowPassword),
            ])
            let request = Task { try await client.post("/web/session/authenticate", headers: .json(), body: body) }

            try await eventually("the login is in flight (blocked on the gate)") { try await gate.hasWaiter() }
            await group.triggerGracefulShutdown()
            try await eventually("the server stops accepting connections") {
                try await ServerProbe.health(port: listening) == nil
            }
            try await gate.open()

            let response = try await request.value
            #expect(response.status == .ok)
            let json = try RPCBody.parse(response.body ?? ByteBuffer())
            #expect(json["error"] == nil, "\(json)")
            #expect(json["result"]?["username"] == "admin")
            #expect(response.headers[values: .setCookie].contains { $0.hasPrefix("session_id=") })
            try? await client.shutdown()

            try await expectExit(of: running, within: .seconds(60), "the service group")
        } catch {
            try? await gate.open()
            await group.triggerGracefulShutdown()
            running.cancel()
            await app.shutdown()
            throw error
        }
        await gate.close()
        await app.shutdown()
    }

    @Test(.enabled(if: WoowProcess.executable != nil, "the woow executable is built next to the tests"))
    func sigtermLetsTheWoowProcessFinishItsRequestAndExitCleanly() async throws {
        let app = try await TestApp.make("sigterm")
        try await app.client.query("UPDATE res_users SET password = \(Self.slowHash) WHERE login = 'admin'")
        let gate = try await LoginGate.close(on: app.database, login: "admin")
        let listening = try ServerProbe.freePort()
        let server = try WoowProcess.start(
            environment: [
                "WOOW_DATABASE_URL": try WoowProcess.connectionString(for: app.database),
                "WOOW_HOST": "127.0.0.1", "WOOW_PORT": String(listening), "WOOW_SEED_DEMO": "false",
                "WOOW_LOG_LEVEL": "warning", "WOOW_PASSWORD_ROUNDS": "600000",
            ])
        do {
            try await eventually("the woow process answers /health", limit: .seconds(120)) {
                if let status = server.exitStatus() {
                    Issue.record("woow exited early (\(status)): \(server.output)")
                    throw WaitError(what: "woow start")
                }
                return try await ServerProbe.health(port: listening) == .ok
            }
            let client = TestClient(host: "127.0.0.1", port: listening, configuration: .init(timeout: .seconds(120)))
            client.connect()
            let body = RPCBody.call([
                "db": .string(app.database.name), "login": "admin", "password": .string(Self.slowPassword),
            ])
            let request = Task { try await client.post("/web/session/authenticate", headers: .json(), body: body) }
            try await eventually("the login is in flight (blocked on the gate)") { try await gate.hasWaiter() }

            server.signal(SIGTERM)
            try await eventually("the process stops accepting connections") {
                try await ServerProbe.health(port: listening) == nil
            }
            #expect(server.exitStatus() == nil, "the process must wait for the request in flight")
            try await gate.open()

            let response = try await request.value
            #expect(response.status == .ok)
            let json = try RPCBody.parse(response.body ?? ByteBuffer())
            #expect(json["result"]?["username"] == "admin", "\(json)")
            try? await client.shutdown()

            var status: Int32?
            try await eventually("the woow process exits after SIGTERM", limit: .seconds(60)) {
                status = server.exitStatus()
                return status != nil
            }
            #expect(status == 0, "exit status \(status.map(String.init) ?? "-"): \(server.output)")
        } catch {
            server.kill()
            try? await gate.open()
            await gate.close()
            await app.shutdown()
            throw error
        }
        await gate.close()
        await app.shutdown()
    }
}

// MARK: - Helpers

/// Holds a row lock that `/web/session/authenticate` needs once the password is checked (the
/// success path clears the login's failure counter), so a login stays in flight until `open()`.
final class LoginGate: Sendable {
    let holder: PostgresClient
    let monitor: PostgresClient
    let release: AsyncStream<Void>.Continuation
    let task: Task<Void, any Error>

    private init(holder: PostgresClient, monitor: PostgresClient, release: AsyncStream<Void>.Continuation, task: Task<Void, any Error>) {
        self.holder = holder
        self.monitor = monitor
        self.release = release
        self.task = task
    }

    static func close(on database: TestDatabase, login: String) async throws -> LoginGate {
        let holder = database.makeClient(maximumConnections: 1)
        let monitor = database.makeClient(maximumConnections: 1)
        let key = "login:" + login
        try await holder.query(
            "INSERT INTO auth_login_failure (key, failures, last_failure) VALUES (\(key), 1, now() - interval '1 day')")
        let (held, heldContinuation) = AsyncStream<Void>.makeStream()
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        let task = Task {
            try await holder.withTransaction { db in
                try await db.query("SELECT 1 FROM auth_login_failure WHERE key = \(key) FOR UPDATE")
                heldContinuation.yield()
                for await _ in release { break }
            }
        }
        for await _ in held { break }
        return LoginGate(holder: holder, monitor: monitor, release: releaseContinuation, task: task)
    }

    /// Whether some backend of this database is waiting for a lock.
    func hasWaiter() async throws -> Bool {
        try await monitor.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )[0].decode(Int.self, at: 0) > 0
    }

    /// Releases the lock (idempotent).
    func open() async throws {
        release.finish()
        try await task.value
    }

    /// Closes the pools.
    func close() async {
        release.finish()
        _ = try? await task.value
        await holder.close()
        await monitor.close()
    }
}

/// Wraps the Woow application to learn the port it bound (configured as 0).
struct PortReportingApplication<Base: ApplicationProtocol>: ApplicationProtocol {
    typealias Responder = Base.Responder
    let base: Base
    let port: Locked<Int?>

    var responder: Responder { get async throws { try await base.responder } }
    var server: HTTPServerBuilder { base.server }
    var eventLoopGroup: any EventLoopGroup { base.eventLoopGroup }
    var configuration: ApplicationConfiguration { base.configuration }
    var logger: Logger { base.logger }
    var services: [any Service] { base.services }
    var processesRunBeforeServerStart: [@Sendable () async throws -> Void] { base.processesRunBeforeServerStart }

    @Sendable func onServerRunning(_ channel: any Channel) async {
        await base.onServerRunning(channel)
        let bound = channel.localAddress?.port
        port.withLock { $0 = bound }
    }
}

enum ServerProbe {
    /// The status of `GET /health` on a fresh connection, or `nil` when nothing answers.
    static func health(port: Int) async throws -> HTTPResponse.Status? {
        do {
            return try await TestClient.withClient(
                host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(10))
            ) { client in
                try await client.get("/health").status
            }
        } catch {
            return nil
        }
    }

    /// A TCP port that was free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WaitError(what: "socket()") }
        defer { Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw WaitError(what: "bind()") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw WaitError(what: "getsockname()") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Waits for a task to finish; past `limit` the test fails and the task is cancelled ("does not hang").
func expectExit(
    of task: Task<Void, any Error>, within limit: Duration, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let finished = try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            try await task.value
            return true
        }
        group.addTask {
            try await Task.sleep(for: limit)
            return false
        }
        let first = try await group.next() ?? false
        if !first { task.cancel() }
        group.cancelAll()
        return first
    }
    if !finished { Issue.record("\(what) did not exit within \(limit)", sourceLocation: sourceLocation) }
}

/// The built `woow` executable, run as a child process.
final class WoowProcess: Sendable {
    let pid: pid_t
    let outputPath: String
    private let status = Locked<Int32?>(nil)

    init(pid: pid_t, outputPath: String) {
        self.pid = pid
        self.outputPath = outputPath
    }

    /// `woow` next to the test executable (SwiftPM builds every product into one directory).
    static let executable: String? = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On some layouts the tests run from inside an `.xctest` bundle directory.
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("woow").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }()

    /// A connection string for the test database (the harness's server string names another database).
    static func connectionString(for database: TestDatabase) throws -> String {
        let base = database.connectionString
        if base.contains("://") {
            guard var components = URLComponents(string: base) else { throw WaitError(what: "parse \(base)") }
            components.path = "/" + database.name
            return try #require(components.string)
        }
        // key=value form: a later keyword overrides an earlier one.
        return base + " dbname=\(database.name)"
    }

    static func start(environment overrides: [String: String]) throws -> WoowProcess {
        let executable = try #require(Self.executable)
        let outputPath = NSTemporaryDirectory() + "woow-sigterm-\(UUID().uuidString).log"
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in overrides { environment[key] = value }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = [executable, "serve"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, &argv, &envp)
        guard spawned == 0 else { throw WaitError(what: "spawn woow: \(String(cString: strerror(spawned)))") }
        return WoowProcess(pid: pid, outputPath: outputPath)
    }

    func signal(_ signal: Int32) { _ = Glibc.kill(pid, signal) }

    /// The exit status once the process has exited (128 + signal when killed), else `nil`.
    func exitStatus() -> Int32? {
        if let known = status.value { return known }
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, WNOHANG)
        guard result == pid else { return nil }
        let exited = (raw & 0x7f) == 0
        let code = exited ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        status.withLock { $0 = code }
        return code
    }

    /// What the process wrote.
    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Stops it at once (test failure path).
    func kill() {
        guard exitStatus() == nil else { return }
        signal(SIGKILL)
        var raw: Int32 = 0
        _ = waitpid(pid, &raw, 0)
    }

    deinit { unlink(outputPath) }
}
