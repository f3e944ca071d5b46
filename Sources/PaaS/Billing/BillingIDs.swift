import WoowCrypto

/// The public string ids of billing records: `pm_…` payment methods, `txn_…`
/// transactions, `ivc_…` invoices (invitations already use `inv_`), each a prefix and 24 hex
/// digits of a secure random number.
public enum BillingID {
    /// A new payment-method id.
    public static func paymentMethod() -> String { "pm_" + SecureRandom.hex(byteCount: 12) }
    /// A new transaction id.
    public static func transaction() -> String { "txn_" + SecureRandom.hex(byteCount: 12) }
    /// A new invoice id.
    public static func invoice() -> String { "ivc_" + SecureRandom.hex(byteCount: 12) }
}
