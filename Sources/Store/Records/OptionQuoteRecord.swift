import GRDB

/// A row of `option_quotes`.
public struct OptionQuoteRecord: SnakeCaseRecord, Sendable, Equatable, PersistableRecord {
    public static let databaseTableName = "option_quotes"

    public var asOf: String
    public var underlying: String
    public var quoteSet: String
    public var seq: Int
    public var symbol: String
    public var root: String
    public var expiry: String
    public var settlement: String
    public var optionType: String
    public var strike: Double
    public var strikeMilli: Int
    public var bid: Double?
    public var ask: Double?
    public var bidSize: Double?
    public var askSize: Double?
    public var last: Double?
    public var volume: Double?
    public var openInterest: Double?
    public var vendorIv: Double?
    public var vendorDelta: Double?
    public var flags: Int
    public var flagNames: String

    public init(asOf: String, underlying: String, quoteSet: String, seq: Int, symbol: String, root: String, expiry: String,
                settlement: String, optionType: String, strike: Double, strikeMilli: Int, bid: Double?, ask: Double?,
                bidSize: Double?, askSize: Double?, last: Double?, volume: Double?, openInterest: Double?,
                vendorIv: Double?, vendorDelta: Double?, flags: Int, flagNames: String) {
        self.asOf = asOf; self.underlying = underlying; self.quoteSet = quoteSet; self.seq = seq
        self.symbol = symbol; self.root = root; self.expiry = expiry; self.settlement = settlement
        self.optionType = optionType; self.strike = strike; self.strikeMilli = strikeMilli
        self.bid = bid; self.ask = ask; self.bidSize = bidSize; self.askSize = askSize; self.last = last
        self.volume = volume; self.openInterest = openInterest; self.vendorIv = vendorIv
        self.vendorDelta = vendorDelta; self.flags = flags; self.flagNames = flagNames
    }
}
