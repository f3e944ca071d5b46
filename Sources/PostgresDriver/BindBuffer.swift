/// Lays a statement's parameters out for libpq in one pass: every value's bytes (text values
/// NUL-terminated, as libpq reads text parameters as C strings) in one buffer, with the pointer,
/// length and format arrays libpq takes. Five allocations per statement, whatever the number of
/// parameters (the naive layout cost two or three per parameter).
enum BindBuffer {
    /// Calls `body` with the parameter count and the `paramValues`, `paramLengths` and
    /// `paramFormats` arrays of `PQsendQueryPrepared`, valid for the duration of the call.
    static func withMarshalled<R>(
        _ binds: [PostgresBind],
        _ body: (Int32, [UnsafePointer<CChar>?], [Int32], [Int32]) -> R
    ) -> R {
        let count = binds.count
        var size = 0
        for bind in binds {
            switch bind {
            case .null: break
            case .text(let string): size += string.utf8.count + 1
            case .binary(let bytes): size += max(bytes.count, 1)
            }
        }
        var lengths = [Int32](repeating: 0, count: count)
        var formats = [Int32](repeating: 0, count: count)
        var offsets = [Int](repeating: -1, count: count)
        var flat = [UInt8]()
        flat.reserveCapacity(max(size, 1))
        for (index, bind) in binds.enumerated() {
            switch bind {
            case .null:
                continue
            case .text(let string):
                offsets[index] = flat.count
                var string = string
                string.withUTF8 { flat.append(contentsOf: $0) }
                lengths[index] = Int32(flat.count - offsets[index])
                flat.append(0)
            case .binary(let bytes):
                offsets[index] = flat.count
                formats[index] = 1
                lengths[index] = Int32(bytes.count)
                if bytes.isEmpty { flat.append(0) } else { flat.append(contentsOf: bytes) }
            }
        }
        if flat.isEmpty { flat.append(0) }
        return flat.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let values = offsets.map { $0 < 0 ? nil : base + $0 }
            return body(Int32(count), values, lengths, formats)
        }
    }
}
