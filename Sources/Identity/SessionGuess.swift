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
    static let capacity = 10_000
    private let sessions = Mutex<[SessionID: Session]>([:])

    func remember(_ session: Session, for id: SessionID) {
        sessions.withLock { sessions in
            if sessions.count >= Self.capacity, sessions[id] == nil { sessions.removeAll(keepingCapacity: true) }
            sessions[id] = session
        }
    }

    func forget(_ id: SessionID) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    func session(for id: SessionID) -> Session? {
        sessions.withLock { $0[id] }
    }
}

extension SessionStore {
    /// A guess of the session `id` from an earlier lookup, with the lookup queued to travel with
    /// the next read on `db` (``PostgresConnection/sendAhead(_:)``); `nil` when the session has
    /// not been seen lately (then use ``load(_:on:)``). Call ``confirm(_:on:)`` before answering.
    public func guess(_ id: SessionID, alongNextReadOn db: PostgresConnection) -> SessionGuess? {
        guard let session = recent.session(for: id) else { return nil }
        let guess = SessionGuess(session: session, id: id)
        let recent = self.recent
        db.sendAhead(
            PostgresPrelude(query: lookup(id)) { result in
                guard let row = result.first else {
                    recent.forget(id)
                    throw SessionChanged()
                }
                let (actual, stale) = try Self.decode(row)
                guard actual == session else {
                    recent.forget(id)
                    throw SessionChanged()
                }
                guess.stale.store(stale, ordering: .relaxed)
            })
        return guess
    }

    /// Confirms a guess: runs the lookup now if no read has taken it along, throws
    /// ``SessionChanged`` when it did not find the same session, and refreshes `last_seen`
    /// when it is due (as ``load(_:on:)`` does).
    public func confirm(_ guess: SessionGuess, on db: PostgresConnection) async throws {
        try await db.settlePrelude()
        if guess.stale.load(ordering: .relaxed) { try await touch(guess.id, on: db) }
    }
}
