import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The per-request context: the logger (carrying `request.id`), the peer address and the request id.
public struct WoowRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The address the request came from (the TCP peer; proxies are not trusted).
    public let remoteAddress: String?
    /// The id of this request, also sent back as `X-Request-ID`.
    public var requestID: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? source.channel.remoteAddress?.pathname
        requestID = RequestIdentifier.next()
    }
}

/// Generates short, unique request ids (`a1b2c3d4-000017`): a random per-process prefix and a counter.
enum RequestIdentifier {
    private static let prefix: String = {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt32, radix: 16)
    }()
    private static let counter = ManagedAtomicCounter()

    static func next() -> String {
        let value = counter.increment()
        return prefix + "-" + String(value, radix: 16)
    }
}


/// A process-wide counter.
final class ManagedAtomicCounter: Sendable {
    private let value = Atomic<UInt64>(0)
    func increment() -> UInt64 { value.add(1, ordering: .relaxed).newValue }
}
