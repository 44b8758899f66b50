import GRDB

/// The surface stage's result for one option contract, written onto its `option_quotes` rows.
public struct OptionSurfaceResult: Sendable, Equatable {
    public var symbol: String
    public var iv: Double?
    public var ivIssue: String?
    public var surfaceIv: Double?
    public var delta: Double?
    public var gamma: Double?
    public var vegaPerVolPoint: Double?
    public var thetaPerDay: Double?
    /// The quote's flags after the surface stage (normalize's plus `arbitrage_screen`), when it sets them.
    public var flags: Int?
    public var flagNames: String?

    public init(symbol: String, iv: Double?, ivIssue: String?, surfaceIv: Double?, delta: Double?, gamma: Double?,
                vegaPerVolPoint: Double?, thetaPerDay: Double?, flags: Int? = nil, flagNames: String? = nil) {
        self.symbol = symbol; self.iv = iv; self.ivIssue = ivIssue; self.surfaceIv = surfaceIv; self.delta = delta
        self.gamma = gamma; self.vegaPerVolPoint = vegaPerVolPoint; self.thetaPerDay = thetaPerDay
        self.flags = flags; self.flagNames = flagNames
    }
}
