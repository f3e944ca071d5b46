/// An error thrown by ``JSONParser`` when the input is not one valid JSON text.
///
/// Messages follow Python's `json` module style, e.g.
/// `Expecting value: line 1 column 1 (char 0)`. Positions are byte offsets
/// (0-based in `offset` and "char", 1-based line and column).
public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    /// The category of a parse failure.
    public enum Kind: Sendable {
        /// The input violates the JSON grammar (also used for size limits).
        case syntax
        /// Containers are nested deeper than ``JSONParser/Limits/maxDepth``.
        case depthLimit
        /// An object contains the same member name twice.
        case duplicateKey
        /// A string contains bytes that are not valid UTF-8.
        case invalidUTF8
        /// The input is empty or only whitespace.
        case empty
    }

    /// What went wrong.
    public let kind: Kind
    /// The byte offset at which the problem was detected.
    public let offset: Int
    /// A human-readable description including line, column and offset.
    public let message: String

    /// Creates a parse error.
    public init(kind: Kind, offset: Int, message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    /// The ``message``.
    public var description: String { message }
}
