import Synchronization

/// The SQL text of statement parts that depend only on the registry and the request's shape, not
/// on values: a read's `SELECT … FROM … LEFT JOIN …` (by model, alias and fields) and an
/// `ORDER BY` (by model, alias and order string). Building them showed in profiles of every
/// `search_read` (about 7 % of its server CPU: quoting, display-name expressions, order parsing);
/// a request of a shape seen before copies the text instead.
///
/// Values never enter a fragment (they are binds, written after it), so a cached fragment is the
/// same text the writer would produce. Bounded: once `capacity` fragments are held, new shapes are
/// built every time rather than stored (clients choose field lists, so shapes are not bounded).
final class SQLFragmentCache: Sendable {
    /// A piece of SQL text and the writer's alias counter after it.
    struct Fragment: Sendable {
        let sql: String
        let aliasCounter: Int
    }

    static let capacity = 2048
    private let fragments = Mutex<[String: Fragment]>([:])

    /// The fragment for `key`, building it with `build` the first time.
    func fragment(_ key: String, build: () throws -> Fragment) rethrows -> Fragment {
        if let cached = fragments.withLock({ $0[key] }) { return cached }
        let built = try build()
        fragments.withLock { fragments in
            if fragments.count < Self.capacity { fragments[key] = built }
        }
        return built
    }

    /// How many fragments are held (tests).
    var count: Int { fragments.withLock { $0.count } }
}
