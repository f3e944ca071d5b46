import Foundation
import NIOCore
import ServerApp
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A server that cannot listen says where and what to do, exits with status 1, and stops its
/// services in order: the background services before the pool, the embedded cluster last, so
/// none of them logs a lost connection or a cancellation on the way out.
@Suite("Listening fails: a clear message and an orderly stop")
struct ListenFailureTests {
    @Test(.enabled(if: WoowProcess.executable != nil, "the woow executable is built next to the tests"))
    func aBusyPortIsNamedAndTheServicesStopInOrder() async throws {
        let holder = try ListeningSocket()
        defer { holder.close() }
        let dataDirectory = NSTemporaryDirectory() + "woow-busy-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        // No database configured: the embedded cluster, the demo data, the worker and metering.
        let server = try WoowProcess.start(
            environment: [
                "WOOW_DATABASE_URL": "", "WOOW_DATA_DIR": dataDirectory, "WOOW_HOST": "127.0.0.1",
                "WOOW_PORT": String(holder.port), "WOOW_LOG_LEVEL": "info", "WOOW_PASSWORD_ROUNDS": "1000",
            ])
        var status: Int32?
        do {
            try await eventually("woow exits", limit: .seconds(300)) {
                status = server.exitStatus()
                return status != nil
            }
        } catch {
            server.kill()
            throw error
        }
        let output = server.output
        #expect(status == 1, "exit status \(status.map(String.init) ?? "-"):\n\(output)")
        #expect(
            output.contains(
                "port \(holder.port) on 127.0.0.1 is in use: stop the other server, or pass another port (--port or WOOW_PORT)"),
            "\(output)")
        for noise in ["connectionLost", "CancellationError", "batch failed", "pass failed", "Address already in use"] {
            #expect(!output.contains(noise), "\(noise) in:\n\(output)")
        }
        // Shut down in order: the background services, then (last) the embedded cluster.
        let clusterStopped = try #require(output.range(of: "private PostgreSQL cluster stopped"), "\(output)")
        for service in ["deployment worker stopped", "metering service stopped"] {
            let stopped = try #require(output.range(of: service), "\(service) not logged:\n\(output)")
            #expect(stopped.upperBound < clusterStopped.lowerBound, "\(service) after the cluster stopped:\n\(output)")
        }
        let cluster = try EmbeddedPostgres(dataDirectory: dataDirectory, logger: TestPostgres.logger)
        #expect(!cluster.isRunning(), "the embedded cluster is left running")
    }

    @Test func socketErrorsBecomeSentencesThatSayWhatToDo() {
        let inUse = ListenError(IOError(errnoCode: EADDRINUSE, reason: "bind(descriptor:ptr:bytes:)"), host: "127.0.0.1", port: 8069)
        #expect(inUse?.description == "port 8069 on 127.0.0.1 is in use: stop the other server, or pass another port (--port or WOOW_PORT)")
        let privileged = ListenError(IOError(errnoCode: EACCES, reason: "bind(descriptor:ptr:bytes:)"), host: "0.0.0.0", port: 80)
        #expect(privileged?.reason == .permissionDenied)
        #expect(privileged?.description.contains("port 80 on 0.0.0.0") == true)
        let foreign = ListenError(IOError(errnoCode: EADDRNOTAVAIL, reason: "bind(descriptor:ptr:bytes:)"), host: "10.9.9.9", port: 8069)
        #expect(foreign?.reason == .notLocal)
        #expect(foreign?.description.contains("--host") == true)
        do {
            _ = try SocketAddress.makeAddressResolvingHost("no-such-host.invalid", port: 8069)
            Issue.record("no-such-host.invalid resolved")
        } catch {
            #expect(ListenError(error, host: "no-such-host.invalid", port: 8069)?.reason == .unresolvable, "\(error)")
        }
        // Errors that are not about the listening socket stay what they are.
        #expect(ListenError(IOError(errnoCode: ECONNRESET, reason: "read(descriptor:pointer:size:)"), host: "h", port: 1) == nil)
        #expect(ListenError(IOError(errnoCode: EACCES, reason: "open(file:oFlag:mode:)"), host: "h", port: 1) == nil)
        #expect(ListenError(CancellationError(), host: "h", port: 1) == nil)
    }
}

/// A TCP socket listening on a free port of 127.0.0.1, holding it busy until closed.
final class ListeningSocket {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw WaitError(what: "socket()") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 1) == 0 else {
            Glibc.close(descriptor)
            throw WaitError(what: "bind()/listen()")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(descriptor) }
}
