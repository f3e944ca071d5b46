/// The metering price of running time: a template's `monthly_price` prorated per hour over a
/// 720-hour month (30 days), in exact integer arithmetic. The fraction of a cent that a charge
/// cannot bill is carried to the app's next charge (`woow_cloud_app.metering_remainder`, in
/// 1/720 of a cent), so over a month an app running all the time pays its monthly price exactly.
public enum MeteringRate {
    /// Hours in a billing month.
    public static let hoursPerMonth: Int64 = 720

    /// What `hours` of running time cost at `monthlyPrice`, with the carried `remainder` (0 ≤ remainder
    /// < 720): the whole cents to charge and the new remainder.
    public static func charge(monthlyPrice: Money, hours: Int64, remainder: Int64) -> (amount: Money, remainder: Int64) {
        let total = monthlyPrice.cents * hours + remainder
        return (Money(cents: total / hoursPerMonth), total % hoursPerMonth)
    }
}
