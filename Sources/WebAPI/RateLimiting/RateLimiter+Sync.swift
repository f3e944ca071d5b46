import PostgresDriver

/// Sharing the counters between server instances through `rate_limit_counter` (schema.sql).
extension RateLimiter {
    /// Writes the requests admitted here since the last call into PostgreSQL and learns the global
    /// count of every counter of the current window that is not yet exhausted here — one statement:
    /// an `INSERT … ON CONFLICT DO UPDATE … RETURNING` of the deltas (arrays bound as parameters)
    /// plus a read of the idle counters. Returns how many counters were written or read. On a
    /// database error the requests stay pending (sent with the next call) and the error is thrown.
    @discardableResult
    public func synchronize(using database: PostgresClient) async throws -> Int {
        guard settings.enabled, let batch = takePending() else { return 0 }
        var byText: [String: CounterKey] = [:]
        var written: [String] = []
        var writtenDeltas: [Int] = []
        var refreshed: [String] = []
        for (index, key) in batch.keys.enumerated() {
            let text = key.category.rawValue + ":" + key.subject.keyText
            byText[text] = key
            if batch.deltas[index] > 0 {
                written.append(text)
                writtenDeltas.append(batch.deltas[index])
            } else {
                refreshed.append(text)
            }
        }
        let windowEnd = batch.windowStart + Int64(settings.windowSeconds)
        do {
            let rows = try await database.query(
                """
                WITH added AS (
                    INSERT INTO rate_limit_counter AS c (key, window_start, window_end, count)
                    SELECT u.key, \(batch.windowStart), \(windowEnd), u.delta
                    FROM unnest(\(written)::varchar[], \(writtenDeltas)::int4[]) AS u(key, delta)
                    ON CONFLICT (key, window_start) DO UPDATE SET count = c.count + EXCLUDED.count
                    RETURNING c.key, c.count)
                SELECT key, count FROM added
                UNION ALL
                SELECT key, count FROM rate_limit_counter
                WHERE window_start = \(batch.windowStart) AND key = ANY(\(refreshed)::varchar[])
                """)
            var counts: [CounterKey: Int] = [:]
            for row in rows.rows {
                if let key = byText[try row.decode(String.self, at: 0)] { counts[key] = try row.decode(Int.self, at: 1) }
            }
            completeFlush(batch, globalCounts: counts)
            return batch.keys.count
        } catch {
            abandonFlush(batch)
            throw error
        }
    }

    /// Deletes the counters of windows that have ended (run periodically by one or every instance).
    @discardableResult
    public func purgeExpiredWindows(using database: PostgresClient) async throws -> Int {
        let now = Int64(clock().rounded(.down))
        return try await database.query("DELETE FROM rate_limit_counter WHERE window_end < \(now)").affectedRows
    }
}
