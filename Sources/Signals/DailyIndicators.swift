import VixShieldCore

/// Parameters of the daily indicator set (the pipeline file's `signals:` block).
public struct IndicatorSettings: Hashable, Sendable {
    public var rsiPeriod = 14
    /// Sessions in the adaptive RSI band's rolling window, and its percentiles (0…100).
    public var bandWindowSessions = 252
    public var bandLowPercentile = 10.0
    public var bandHighPercentile = 90.0
    /// Sessions an SPX or A/D high/low is compared against for a divergence.
    public var divergenceLookbackSessions = 20

    public init() {}
}

/// One symbol's indicators on one date; nil where the warm-up is not over or an input is missing.
public struct IndicatorRow: Hashable, Sendable {
    public var date: CalendarDate
    public var rsi: Double?
    public var rsiBandLow: Double?
    public var rsiBandHigh: Double?
    public var macd: MACDValue?
    /// Annualized realized volatility by estimator and window (10 and 21 sessions).
    public var realizedVolatility: [RealizedVolatilityEstimator: [Int: Double]] = [:]
    /// Cumulative advances − declines, and its divergence against the index (breadth given only).
    public var advanceDeclineLine: Double?
    public var divergence: Divergence?
}

/// The indicator set of one date, computed over the whole history through that date (no value from later).
public enum DailyIndicators {
    public static let realizedWindows = [10, 21]

    /// The row of `asOf` for a symbol's bars (and, for the index breadth is measured against, the breadth
    /// counts); nil when the series has no bar on `asOf`.
    public static func row(asOf: CalendarDate, bars: DatedSeries<PriceBar>, breadth: DatedSeries<BreadthCount>? = nil,
                           settings: IndicatorSettings = IndicatorSettings()) throws(SignalsError) -> IndicatorRow? {
        let through = bars.slice(through: asOf)
        guard through.dates.last == asOf else { return nil }
        let closes = DatedSeries<Double>(unchecked: through.dates, through.values.map { $0.close })
        var row = IndicatorRow(date: asOf)
        row.rsi = try RSI(period: settings.rsiPeriod).compute(over: closes).values.last ?? nil
        let band = try RSI(period: settings.rsiPeriod)
            .then(PercentileBands(window: settings.bandWindowSessions, lowPercentile: settings.bandLowPercentile,
                                  highPercentile: settings.bandHighPercentile))
            .compute(over: closes).values.last ?? nil
        row.rsiBandLow = band?.low
        row.rsiBandHigh = band?.high
        row.macd = try MACD().compute(over: closes).values.last ?? nil
        for estimator in RealizedVolatilityEstimator.allCases {
            for window in realizedWindows {
                let value = try RealizedVolatility(estimator, windowSessions: window).compute(over: through).values.last
                if let v = value ?? nil, let annualized = v { row.realizedVolatility[estimator, default: [:]][window] = annualized }
            }
        }
        if let breadth {
            let counts = breadth.slice(through: asOf)
            let line = try AdvanceDeclineLine().compute(over: counts)
            row.advanceDeclineLine = line.dates.last == asOf ? (line.values.last ?? nil) : nil
            // The divergence compares the index and the line on the sessions both have.
            var pairs: [(CalendarDate, IndexBreadthPoint)] = []
            for (date, level) in zip(line.dates, line.values) {
                if let level, let close = closes.value(on: date) {
                    pairs.append((date, IndexBreadthPoint(indexClose: close, advanceDeclineLevel: level)))
                }
            }
            if pairs.last?.0 == asOf {
                let joint = try DatedSeries(pairs)
                row.divergence = try BreadthDivergence(lookback: settings.divergenceLookbackSessions).compute(over: joint).values.last ?? nil
            }
        }
        return row
    }
}
