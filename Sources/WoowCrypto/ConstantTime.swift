/// Comparisons whose running time does not depend on the contents being compared.
public enum ConstantTime {
    /// Returns whether `a` and `b` hold the same bytes.
    ///
    /// Every byte is examined regardless of where the first difference lies, so the
    /// time taken reveals only the length. Collections of different lengths are unequal.
    public static func equals<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
