import PostgresDriver
import Synchronization

/// A call's session taken from an earlier request of the same session id, to be confirmed by the
/// session lookup that travels in one pipeline with the call's first read (one round trip saved).
///
/// The guess is only a premise: the lookup still runs for every call, and nothing of the call
/// reaches the client before it has confirmed that the session is still valid and unchanged
/// (same user, database, login, language, time zone and groups). When it is not, every statement
/// of the call fails with ``SessionChanged`` and the caller runs the call again after a plain
/// lookup. So a guess may only be used by work that does nothing but compute until its first read
/// (the ORM's read methods): see ``SessionStore/guess(_:alongNextReadOn:)``.
public final class SessionGuess: Sendable {
    /// The guessed session.
    public let session: Session
    let id: SessionID
    /// Set by the lookup's check when `last_seen` is due for a refresh.
    let stale = Atomic<Bool>(false)

    init(session: Session, id: SessionID) {
        self.session = session
        self.id = id
    }
}

/// The session lookup did not confirm a ``SessionGuess``: the session ended or changed since it
/// was last seen. The call must be run again with a plain ``SessionStore/load(_:on:)``.
public struct SessionChanged: Error, Sendable {}

/// Sessions seen by recent lookups, by id; bounded (emptied when full), never a source of truth.
final class RecentSessions: Sendable {
    /// A session as a lookup found it: the value, and the raw text of the lookup's columns that
    /// make it up, so that a later lookup is compared byte for byte rather than decoded again.
    struct Seen: Sendable {
        /// The lookup's columns that define the session (all but `stale`).
        static let columns = [0, 1, 2, 3, 4, 6]
        let session: Session
        let values: [[UInt8]?]

        init(session: Session, row: PostgresRow) {
            self.session = session
            values = Self.columns.map { row.rawValue(at: $0) }
        }

        /// Whether a lookup row holds this same session.
        func matches(_ row: PostgresRow) -> Bool {
            guard row.columnCount == 7 else { return false }
            for (index, column) in Self.columns.enumerated() where !row.hasRawValue(values[index], at: column) {
                return false
            }
            return true
        }
    }

    static let capacity = 10_000
    private let sessions = Mutex<[SessionID: Seen]>([:])

    func remember(_ seen: Seen, for id: SessionID) {
        sessions.withLock { sessions in
            if sessions.count >= Self.capacity, sessions[id] == nil { sessions.removeAll(keepingCapacity: true) }
            sessions[id] = seen
        }
    }

    func forget(_ id: SessionID) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    func seen(_ id: SessionID) -> Seen? {
        sessions.withLock { $0[id] }
    }
}

extension SessionStore {
    /// A guess of the session `id` from an earlier lookup, with the lookup queued to travel with
    /// the next read on `db` (``PostgresConnection/sendAhead(_:)``); `nil` when the session has
    /// not been seen lately (then use ``load(_:on:)``). Call ``confirm(_:on:)`` before answering.
    public func guess(_ id: SessionID, alongNextReadOn db: PostgresConnection) -> SessionGuess? {
        guard let seen = recent.seen(id) else { return nil }
        let guess = SessionGuess(session: seen.session, id: id)
        let recent = self.recent
        db.sendAhead(
            PostgresPrelude(query: lookup(id)) { result in
                // The same user, database, login, language, time zone and groups, byte for byte.
                guard let row = result.first, seen.matches(row) else {
                    recent.forget(id)
                    throw SessionChanged()
                }
                guess.stale.store(try row.decode(Bool.self, at: 5), ordering: .relaxed)
            })
        return guess
    }

    /// Confirms a guess: runs the lookup now if no read has taken it along, throws
    /// ``SessionChanged`` when it did not find the same session, and refreshes `last_seen`
    /// when it is due (as ``load(_:on:)`` does) unless `refreshing` is false — after a failed
    /// call, whose transaction may be aborted; the next call refreshes it then.
    public func confirm(_ guess: SessionGuess, on db: PostgresConnection, refreshing: Bool = true) async throws {
        try await db.settlePrelude()
        if refreshing, guess.stale.load(ordering: .relaxed) { try await touch(guess.id, on: db) }
    }
}
