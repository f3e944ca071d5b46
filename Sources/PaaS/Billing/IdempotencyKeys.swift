import HTTPTypes
import JSONRPC
import PostgresDriver
import WebAPI

/// `Idempotency-Key` support for `POST /billing/add-funds`: the same key with the same request
/// replays the first answer (and charges once); the same key with another request is `CONFLICT`.
///
/// A key is claimed by inserting `(team, key)` into `woow_idempotency_key` **inside the request's
/// transaction**. A concurrent request with the same key then waits on the unique index until the
/// first one ends: if it committed, the waiting request finds the stored answer and replays it;
/// if it rolled back (a declined card, an error), the key was never used and the waiting request
/// runs for real. So a retry while the first request is still running is answered with the first
/// answer once it finishes. Only successful answers are stored. Keys are scoped to the team and
/// expire after ``lifetimeHours`` (the metering service deletes older ones).
public enum IdempotencyKeys {
    /// The request header.
    public static let header = HTTPField.Name("Idempotency-Key")!
    /// How long a key is remembered.
    public static let lifetimeHours = 24
    /// Longest accepted key.
    public static let maxLength = 255

    /// The outcome of claiming a key.
    public enum Claim: Sendable {
        /// The key is new: run the request and ``complete(_:with:on:)`` it.
        case claimed(Int64)
        /// The key was used by the same request: answer this.
        case replay(AppResult)
    }

    /// The header's value, validated (1…255 visible ASCII characters), or `nil` when absent.
    public static func key(in headers: HTTPFields, reader: inout ParamReader) -> String? {
        guard let value = headers[header] else { return nil }
        let key = value.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.count <= maxLength, key.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F })
        else {
            reader.fail("Idempotency-Key", "must be 1 to \(maxLength) visible ASCII characters")
            return nil
        }
        return key
    }

    /// Claims `key` for the team, or finds the answer to replay.
    public static func claim(
        _ key: String, team: Int64, user: Int64, fingerprint: String, on db: PostgresConnection
    ) async throws -> Claim {
        for _ in 0..<3 {
            if let row = try await db.query(
                """
                INSERT INTO woow_idempotency_key (team_id, user_id, key, fingerprint)
                VALUES (\(team), \(user), \(key), \(fingerprint))
                ON CONFLICT (team_id, key) DO NOTHING RETURNING id
                """
            ).first {
                return .claimed(try row.decode(Int64.self, at: 0))
            }
            guard
                let row = try await db.query(
                    """
                    SELECT fingerprint, state, response_status, response_body FROM woow_idempotency_key
                    WHERE team_id = \(team) AND key = \(key)
                    """
                ).first
            else { continue }  // removed meanwhile (expired): claim it again
            guard try row.decode(String.self, at: 0) == fingerprint else {
                throw AppError(.conflict, "This Idempotency-Key was already used with a different request.")
            }
            guard try row.decode(String.self, at: 1) == "done", let status = try row.decode(Int?.self, at: 2),
                let body = try row.decode(String?.self, at: 3), let data = try? JSONParser.parse(body)
            else {
                throw AppError(.conflict, "A request with this Idempotency-Key is still in progress; retry shortly.")
            }
            return .replay(AppResult(status: HTTPResponse.Status(code: status), data: data))
        }
        throw AppError(.conflict, "This Idempotency-Key could not be claimed; retry shortly.")
    }

    /// Stores the answer of a claimed key (same transaction as the work it answers).
    public static func complete(_ id: Int64, with result: AppResult, on db: PostgresConnection) async throws {
        let body = String(decoding: result.data.serialized(), as: UTF8.self)
        try await db.query(
            """
            UPDATE woow_idempotency_key SET state = 'done', response_status = \(result.status.code), response_body = \(body)
            WHERE id = \(id)
            """)
    }

    /// Deletes keys older than ``lifetimeHours``; returns how many.
    @discardableResult
    public static func expire(on db: PostgresConnection) async throws -> Int {
        try await db.query(
            """
            DELETE FROM woow_idempotency_key WHERE created_at < now() - \(lifetimeHours) * interval '1 hour' RETURNING id
            """
        ).rows.count
    }
}
