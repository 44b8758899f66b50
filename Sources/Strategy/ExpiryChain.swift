import VixShieldCore
import VolMath

/// One option ready for strategy work: its quote, its implied volatility and its greeks per contract
/// unit (one option on one index point).
public struct PricedOption: Sendable, Hashable {
    public var contract: OptionContract
    public var bid: Double
    public var ask: Double
    public var impliedVolatility: Double
    public var greeks: Greeks
    public var openInterest: Double

    public init(contract: OptionContract, bid: Double, ask: Double, impliedVolatility: Double, greeks: Greeks, openInterest: Double = 0) {
        self.contract = contract
        self.bid = bid
        self.ask = ask
        self.impliedVolatility = impliedVolatility
        self.greeks = greeks
        self.openInterest = openInterest
    }

    public var mid: Double { (bid + ask) / 2 }
    public var strike: Double { contract.strike }
}

/// The usable options of one expiry with the forward and discount the surface stage found for it.
public struct ExpiryChain: Sendable {
    public var expiry: CalendarDate
    public var root: String
    public var timeToExpiryYears: Double
    public var forward: Double
    public var discount: Double
    public var options: [PricedOption]

    public init(expiry: CalendarDate, root: String, timeToExpiryYears: Double, forward: Double, discount: Double, options: [PricedOption]) {
        self.expiry = expiry
        self.root = root
        self.timeToExpiryYears = timeToExpiryYears
        self.forward = forward
        self.discount = discount
        self.options = options
    }

    /// Standard monthly SPX options: AM-settled and expiring on the third Friday (or the trading day
    /// before it when that Friday is a holiday).
    public var isStandardMonthly: Bool { Self.isStandardMonthly(root: root, expiry: expiry) }

    public static func isStandardMonthly(root: String, expiry: CalendarDate) -> Bool {
        guard root == "SPX" else { return false }
        let thirdFriday = CalendarDate.nthWeekday(3, weekday: 5, year: expiry.year, month: expiry.month)
        return expiry == thirdFriday || expiry == TradingCalendar.nyse.tradingDayOnOrBefore(thirdFriday)
    }
}

/// How the strategy turns a price level into a probability: the risk-neutral terminal distribution of
/// the underlying at one expiry.
public protocol TerminalDistribution: Sendable {
    /// P(S_T < level).
    func probabilityBelow(_ level: Double) -> Double
}

/// The SVI slice's closed-form risk-neutral distribution.
extension RiskNeutralDistribution: TerminalDistribution {}
