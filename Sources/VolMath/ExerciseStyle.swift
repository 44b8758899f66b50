import VixShieldCore

/// Whether an option can be exercised only at expiry (European) or any time (American).
///
/// Only European options satisfy put-call parity C − P = D·(F − K) exactly, so only their parity
/// regression may give the discount factor. American equity and ETF options (SPY, QQQ, IWM, single
/// stocks) carry early-exercise premia, largest on deep in-the-money puts and on calls before
/// dividends, which bias the C − P slope: the surface keeps the parity *forward* (read at the money,
/// where the premia are smallest) but discounts with the rate curve. Limitation: the IVs are still
/// Black-76 (European) inversions of American mids, so deep in-the-money and long-dated American
/// quotes carry an early-exercise bias (the surface fits out-of-the-money quotes, where it is small).
public enum ExerciseStyle: String, Hashable, Sendable, CaseIterable {
    case european
    case american

    /// Roots of cash-settled, European-style index options (Cboe and Nasdaq listings).
    public static let europeanIndexRoots: Set<String> = [
        "SPX", "SPXW", "SPXPM", "XSP", "NDX", "NDXP", "XND", "RUT", "RUTW", "MRUT", "VIX", "VIXW", "DJX", "XEO",
    ]

    /// The style of options on `root`: European for the index roots above, American for everything else
    /// (equities, ETFs, and any root we do not know, the safe side: its parity slope is not trusted).
    public static func of(root: String) -> ExerciseStyle {
        europeanIndexRoots.contains(root) ? .european : .american
    }
}

extension OptionContract {
    /// European for the known index roots, American otherwise (see `ExerciseStyle.of(root:)`).
    public var exerciseStyle: ExerciseStyle { ExerciseStyle.of(root: root) }
}
