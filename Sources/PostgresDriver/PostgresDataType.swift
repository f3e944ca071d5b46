import CLibPQ

/// A PostgreSQL type, identified by its OID (only built-in types have stable OIDs).
public struct PostgresDataType: Sendable, Hashable, CustomStringConvertible {
    /// The type OID.
    public let oid: UInt32
    /// Wraps an OID.
    public init(oid: UInt32) { self.oid = oid }

    public static let bool = PostgresDataType(oid: 16)
    public static let bytea = PostgresDataType(oid: 17)
    public static let name = PostgresDataType(oid: 19)
    public static let int8 = PostgresDataType(oid: 20)
    public static let int2 = PostgresDataType(oid: 21)
    public static let int4 = PostgresDataType(oid: 23)
    public static let text = PostgresDataType(oid: 25)
    public static let oidType = PostgresDataType(oid: 26)
    public static let json = PostgresDataType(oid: 114)
    public static let float4 = PostgresDataType(oid: 700)
    public static let float8 = PostgresDataType(oid: 701)
    public static let bpchar = PostgresDataType(oid: 1042)
    public static let varchar = PostgresDataType(oid: 1043)
    public static let date = PostgresDataType(oid: 1082)
    public static let time = PostgresDataType(oid: 1083)
    public static let timestamp = PostgresDataType(oid: 1114)
    public static let timestamptz = PostgresDataType(oid: 1184)
    public static let interval = PostgresDataType(oid: 1186)
    public static let numeric = PostgresDataType(oid: 1700)
    public static let uuid = PostgresDataType(oid: 2950)
    public static let jsonb = PostgresDataType(oid: 3802)

    /// Whether the column holds a one-dimensional array (the common built-in array OIDs).
    public var isArray: Bool {
        [1000, 1001, 1005, 1007, 1016, 1009, 1015, 1021, 1022, 1182, 1115, 1185, 1231, 2951, 199, 3807].contains(oid)
    }

    public var description: String { "oid \(oid)" }
}
