/// A JSON object: an *ordered* list of key/value members.
///
/// Key order is preserved exactly as members were added (or parsed), and the
/// writer emits members in that order. Lookups are linear for small objects; once
/// an object grows past a small threshold a hash index is maintained, so objects
/// with dozens or thousands of keys still look up in constant time.
///
/// Equality is *semantic*: two objects are equal when they have the same members,
/// regardless of order (`{"a":1,"b":2} == {"b":2,"a":1}`). Objects containing
/// duplicate keys (only possible through ``append(_:_:)``) compare by first occurrence.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One member of the object.
    public typealias Element = (key: String, value: JSONValue)
    /// Iterates members in stored order.
    public typealias Iterator = IndexingIterator<[Element]>

    /// Object size above which a key → position index is kept.
    static let indexThreshold = 12

    /// Members in insertion order.
    private(set) var members: [Element]
    /// Key → position of its first occurrence; only built for large objects.
    private var index: [String: Int]?

    /// Creates an empty object.
    public init() {
        members = []
        index = nil
    }

    /// Creates an object from pairs, in order. If a key repeats, the later value
    /// replaces the earlier one at the earlier position.
    public init(_ pairs: [(String, JSONValue)]) {
        self.init()
        members.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// Creates an object from a dictionary literal, keeping the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// Reserves storage for `minimumCapacity` members.
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        members.reserveCapacity(minimumCapacity)
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys, in stored order.
    public var keys: [String] { members.map(\.key) }

    /// The values, in stored order.
    public var values: [JSONValue] { members.map(\.value) }

    /// Returns an iterator over the members in stored order.
    public func makeIterator() -> Iterator { members.makeIterator() }

    /// Whether the object has a member named `key`.
    public func contains(key: String) -> Bool { position(of: key) != nil }

    /// The value for `key`, or `nil` when absent.
    ///
    /// Setting a value replaces an existing member in place (keeping its position)
    /// or appends a new member; setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = position(of: key) else { return nil }
            return members[i].value
        }
        set {
            if let i = position(of: key) {
                if let newValue {
                    members[i].value = newValue
                } else {
                    members.remove(at: i)
                    rebuildIndex()
                }
            } else if let newValue {
                append(key, newValue)
            }
        }
    }

    /// Appends a member without checking for an existing member with the same key.
    ///
    /// This is the fast path for builders that know their keys are distinct. If the
    /// key does already exist, lookups keep returning the first occurrence, and the
    /// writer emits both members.
    public mutating func append(_ key: String, _ value: JSONValue) {
        members.append((key, value))
        if index != nil {
            if index![key] == nil { index![key] = members.count - 1 }
        } else if members.count > Self.indexThreshold {
            rebuildIndex()
        }
    }

    /// The position of the first member named `key`.
    @inline(__always)
    func position(of key: String) -> Int? {
        if let index { return index[key] }
        for i in members.indices where members[i].key == key { return i }
        return nil
    }

    private mutating func rebuildIndex() {
        guard members.count > Self.indexThreshold else {
            index = nil
            return
        }
        var map = [String: Int](minimumCapacity: members.count)
        for (i, member) in members.enumerated() where map[member.key] == nil {
            map[member.key] = i
        }
        index = map
    }

    /// Semantic equality: same members regardless of order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        // Fast path: identical order.
        var sameOrder = true
        for i in lhs.members.indices {
            if lhs.members[i].key != rhs.members[i].key || lhs.members[i].value != rhs.members[i].value {
                sameOrder = false
                break
            }
        }
        if sameOrder { return true }
        for (key, value) in lhs.members where rhs[key] != value { return false }
        for (key, value) in rhs.members where lhs[key] != value { return false }
        return true
    }

    /// Order-independent hash, consistent with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        // Only first occurrences count, matching how `==` sees duplicate keys.
        for (i, (key, value)) in members.enumerated() where position(of: key) == i {
            var h = Hasher()
            h.combine(key)
            h.combine(value)
            combined ^= h.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(combined)
    }
}
