import GRDB

/// A row of `indicators`: one symbol's indicators on one date.
/// Column names with digits (`rsi_14`, `rv_cc_21`, `vx_30d`) are spelled out: the snake_case strategy
/// cannot place their underscores.
public struct IndicatorRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "indicators"

    public var date: String
    public var symbol: String
    public var close: Double
    public var rsi14: Double?
    public var rsiBandLow: Double?
    public var rsiBandHigh: Double?
    public var macdLine: Double?
    public var macdSignal: Double?
    public var macdHistogram: Double?
    public var rvCc10: Double?
    public var rvCc21: Double?
    public var rvParkinson10: Double?
    public var rvParkinson21: Double?
    public var rvGk10: Double?
    public var rvGk21: Double?
    public var rvYz10: Double?
    public var rvYz21: Double?
    public var adLine: Double?
    public var adDivergence: Int?
    public var breadthUniverse: String?

    enum CodingKeys: String, CodingKey {
        case date = "date", symbol = "symbol", close = "close", rsi14 = "rsi_14", rsiBandLow = "rsi_band_low", rsiBandHigh = "rsi_band_high", macdLine = "macd_line", macdSignal = "macd_signal", macdHistogram = "macd_histogram", rvCc10 = "rv_cc_10", rvCc21 = "rv_cc_21", rvParkinson10 = "rv_parkinson_10", rvParkinson21 = "rv_parkinson_21", rvGk10 = "rv_gk_10", rvGk21 = "rv_gk_21", rvYz10 = "rv_yz_10", rvYz21 = "rv_yz_21", adLine = "ad_line", adDivergence = "ad_divergence", breadthUniverse = "breadth_universe"
    }

    public init(date: String, symbol: String, close: Double, rsi14: Double? = nil, rsiBandLow: Double? = nil, rsiBandHigh: Double? = nil, macdLine: Double? = nil, macdSignal: Double? = nil, macdHistogram: Double? = nil, rvCc10: Double? = nil, rvCc21: Double? = nil, rvParkinson10: Double? = nil, rvParkinson21: Double? = nil, rvGk10: Double? = nil, rvGk21: Double? = nil, rvYz10: Double? = nil, rvYz21: Double? = nil, adLine: Double? = nil, adDivergence: Int? = nil, breadthUniverse: String? = nil) {
        self.date = date
        self.symbol = symbol
        self.close = close
        self.rsi14 = rsi14
        self.rsiBandLow = rsiBandLow
        self.rsiBandHigh = rsiBandHigh
        self.macdLine = macdLine
        self.macdSignal = macdSignal
        self.macdHistogram = macdHistogram
        self.rvCc10 = rvCc10
        self.rvCc21 = rvCc21
        self.rvParkinson10 = rvParkinson10
        self.rvParkinson21 = rvParkinson21
        self.rvGk10 = rvGk10
        self.rvGk21 = rvGk21
        self.rvYz10 = rvYz10
        self.rvYz21 = rvYz21
        self.adLine = adLine
        self.adDivergence = adDivergence
        self.breadthUniverse = breadthUniverse
    }
}
