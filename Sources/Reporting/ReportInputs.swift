import VixShieldCore

// What the pages show, as plain values: the Pipeline fills them from the Store, the pages only draw them.
// Volatilities are in vol points (annualized σ × 100) and money in US dollars throughout.

/// One labelled value of a ticket or a panel, already formatted.
public struct Fact: Sendable, Equatable {
    public var label: String
    public var value: String
    public init(_ label: String, _ value: String) { self.label = label; self.value = value }
}

/// One expiry's smile: the market IVs, the fitted slice and the slice projected to the next session.
public struct SmilePanel: Sendable, Equatable {
    public var expiry: CalendarDate
    /// `am` or `pm`.
    public var settlement: String
    public var daysToExpiry: Int
    public var forward: Double
    /// (strike, IV in vol points) of the out-of-the-money quotes that have an implied vol.
    public var marketIVs: [ChartPoint]
    /// (strike, vol points) of the fitted SVI slice on a strike grid; empty when the expiry has no fit.
    public var fitted: [ChartPoint]
    /// (strike, vol points) of the slice projected to the next session's close; empty without a projection.
    public var projected: [ChartPoint]
    /// Fit error and flags, one line.
    public var note: String

    public init(expiry: CalendarDate, settlement: String, daysToExpiry: Int, forward: Double, marketIVs: [ChartPoint],
                fitted: [ChartPoint], projected: [ChartPoint], note: String) {
        self.expiry = expiry; self.settlement = settlement; self.daysToExpiry = daysToExpiry; self.forward = forward
        self.marketIVs = marketIVs; self.fitted = fitted; self.projected = projected; self.note = note
    }
}

/// The term structure: model-free volatility per expiry and the VX futures curve, both against days.
public struct TermStructurePanel: Sendable, Equatable {
    /// (calendar days to expiry, model-free vol points).
    public var modelFree: [ChartPoint]
    /// (calendar days to the VX contract's expiry, settlement in VIX points).
    public var vxCurve: [ChartPoint]
    public var index30d: Double?
    public var index9d: Double?

    public init(modelFree: [ChartPoint], vxCurve: [ChartPoint], index30d: Double?, index9d: Double?) {
        self.modelFree = modelFree; self.vxCurve = vxCurve; self.index30d = index30d; self.index9d = index9d
    }
}

/// A recommended condor (rank 1 of its profile) or the profile's reason not to trade.
public struct CondorPanel: Sendable, Equatable {
    public struct Scenario: Sendable, Equatable {
        /// `next_day` or `expiry`.
        public var horizon: String
        /// (SPX move %, USD) at no vol shock: the condor alone and condor plus hedge.
        public var condorUSD: [ChartPoint]
        public var totalUSD: [ChartPoint]
        public init(horizon: String, condorUSD: [ChartPoint], totalUSD: [ChartPoint]) {
            self.horizon = horizon; self.condorUSD = condorUSD; self.totalUSD = totalUSD
        }
    }

    public var profile: String
    /// `trade` or `no_trade`.
    public var status: String
    /// Label/value pairs of the ticket (legs, credit, max loss, POP, …) or the no-trade reason.
    public var facts: [Fact]
    public var rationale: String
    /// Strikes as SPX moves in % from spot (long put … long call), drawn as reference lines.
    public var strikeMovesPct: [ReferenceLine]
    public var scenarios: [Scenario]
    /// Active hedge layers, one line each.
    public var hedgeLayers: [String]

    public init(profile: String, status: String, facts: [Fact], rationale: String,
                strikeMovesPct: [ReferenceLine], scenarios: [Scenario], hedgeLayers: [String]) {
        self.profile = profile; self.status = status; self.facts = facts; self.rationale = rationale
        self.strikeMovesPct = strikeMovesPct; self.scenarios = scenarios; self.hedgeLayers = hedgeLayers
    }

}

/// Indicators over the recent sessions (x = day number since 1970-01-01) and the latest values.
public struct IndicatorPanel: Sendable, Equatable {
    public var symbol: String
    public var rsi: [ChartPoint]
    public var rsiBandLow: [ChartPoint]
    public var rsiBandHigh: [ChartPoint]
    public var macdLine: [ChartPoint]
    public var macdSignal: [ChartPoint]
    /// Label/value pairs of the as-of date (RSI, MACD, realized vols, A/D, term structure, VRP).
    public var latest: [Fact]

    public init(symbol: String, rsi: [ChartPoint], rsiBandLow: [ChartPoint], rsiBandHigh: [ChartPoint], macdLine: [ChartPoint],
                macdSignal: [ChartPoint], latest: [Fact]) {
        self.symbol = symbol; self.rsi = rsi; self.rsiBandLow = rsiBandLow; self.rsiBandHigh = rsiBandHigh
        self.macdLine = macdLine; self.macdSignal = macdSignal; self.latest = latest
    }

}

/// Everything on one as-of date's page.
public struct DailyReportData: Sendable, Equatable {
    public var asOf: CalendarDate
    public var forDate: CalendarDate?
    public var underlying: String
    public var spot: Double?
    public var smiles: [SmilePanel]
    /// Expiries with a slice that the page leaves out (beyond the smile horizon), for the note.
    public var omittedExpiries: Int
    public var termStructure: TermStructurePanel
    public var condors: [CondorPanel]
    public var indicators: [IndicatorPanel]
    /// Page-level notes (e.g. why the date did not trade, what is missing).
    public var notes: [String]

    public init(asOf: CalendarDate, forDate: CalendarDate?, underlying: String, spot: Double?, smiles: [SmilePanel],
                omittedExpiries: Int, termStructure: TermStructurePanel, condors: [CondorPanel], indicators: [IndicatorPanel],
                notes: [String]) {
        self.asOf = asOf; self.forDate = forDate; self.underlying = underlying; self.spot = spot; self.smiles = smiles
        self.omittedExpiries = omittedExpiries; self.termStructure = termStructure; self.condors = condors
        self.indicators = indicators; self.notes = notes
    }
}

/// The performance page over a range: per profile, the cumulative P&L of its scored rank-1 trades.
public struct PerformanceData: Sendable, Equatable {
    public struct Profile: Sendable, Equatable {
        public var name: String
        /// (day number of the expiry, cumulative USD), starting at 0 on the first trade's as-of date.
        public var withoutHedgeUSD: [ChartPoint]
        public var withHedgeUSD: [ChartPoint]
        public var trades: Int
        public var wins: Int
        public init(name: String, withoutHedgeUSD: [ChartPoint], withHedgeUSD: [ChartPoint], trades: Int, wins: Int) {
            self.name = name; self.withoutHedgeUSD = withoutHedgeUSD; self.withHedgeUSD = withHedgeUSD
            self.trades = trades; self.wins = wins
        }
    }

    public var from: CalendarDate?
    public var through: CalendarDate?
    public var profiles: [Profile]

    public init(from: CalendarDate?, through: CalendarDate?, profiles: [Profile]) {
        self.from = from; self.through = through; self.profiles = profiles
    }
}
