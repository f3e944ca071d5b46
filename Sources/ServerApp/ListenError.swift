import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The HTTP server could not listen on its address: says which address and port, why, and what
/// to do about it, instead of the socket call's raw error.
public struct ListenError: Error, CustomStringConvertible, Sendable {
    /// Why the address could not be bound.
    public enum Reason: Sendable, Equatable {
        /// Another process listens there (`EADDRINUSE`).
        case inUse
        /// Ports below 1024 need privileges (`EACCES`).
        case permissionDenied
        /// The host is not an address of this machine (`EADDRNOTAVAIL`).
        case notLocal
        /// The host name does not resolve.
        case unresolvable
        /// Anything else the socket layer reported.
        case other(String)
    }

    /// The configured host.
    public let host: String
    /// The configured port.
    public let port: Int
    /// Why.
    public let reason: Reason

    /// An error for `host`:`port`.
    public init(host: String, port: Int, reason: Reason) {
        self.host = host
        self.port = port
        self.reason = reason
    }

    /// The listen error that `error` (thrown while the HTTP server started) stands for, or `nil`
    /// when it is not about binding the listening socket.
    public init?(_ error: any Error, host: String, port: Int) {
        if let io = error as? IOError {
            // Only the listening socket's own calls: `bind(…)` (and `listen(…)`).
            let call = "\(io)"
            guard io.errnoCode == EADDRINUSE || call.hasPrefix("bind(") || call.hasPrefix("listen(") else { return nil }
            switch io.errnoCode {
            case EADDRINUSE: self.init(host: host, port: port, reason: .inUse)
            case EACCES: self.init(host: host, port: port, reason: .permissionDenied)
            case EADDRNOTAVAIL: self.init(host: host, port: port, reason: .notLocal)
            default: self.init(host: host, port: port, reason: .other(call))
            }
        } else if error is SocketAddressError.UnknownHost || error is SocketAddressError {
            self.init(host: host, port: port, reason: .unresolvable)
        } else {
            return nil
        }
    }

    public var description: String {
        switch reason {
        case .inUse:
            "port \(port) on \(host) is in use: stop the other server, or pass another port (--port or WOOW_PORT)"
        case .permissionDenied:
            "not allowed to listen on port \(port) on \(host) (ports below 1024 need privileges): pass a port from 1024 up (--port or WOOW_PORT)"
        case .notLocal:
            "cannot listen on \(host): it is not an address of this machine; pass one of its addresses, 127.0.0.1 or 0.0.0.0 (--host or WOOW_HOST)"
        case .unresolvable:
            "cannot listen on \(host): the host name does not resolve; pass an address such as 127.0.0.1 or 0.0.0.0 (--host or WOOW_HOST)"
        case .other(let detail):
            "cannot listen on port \(port) on \(host): \(detail)"
        }
    }
}
