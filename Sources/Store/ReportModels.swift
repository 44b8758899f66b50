import GRDB
import VixShieldCore

// Reads for `vixshield report`: only what the pictures draw, so a 30k-contract chain is not loaded whole.

/// One quote's implied vol as the smile chart draws it.
public struct SmileQuote: Sendable, Equatable {
    public var expiry: String
    /// `am` or `pm`.
    public var settlement: String
    /// `C` or `P`.
    public var optionType: String
    public var strike: Double
    /// Annualized implied vol from the mid (decimal).
    public var iv: Double
}

extension VixShieldDatabase {
    /// Quotes of one as-of date's `eod` chain that have an implied vol, by expiry, settlement and strike.
    public func smileQuotes(asOf: CalendarDate, underlying: String) throws -> [SmileQuote] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT expiry, settlement, option_type, strike, iv FROM option_quotes
                WHERE as_of = ? AND underlying = ? AND quote_set = 'eod' AND iv IS NOT NULL
                ORDER BY expiry, settlement, strike, option_type
                """, arguments: [asOf.isoString, underlying]).map { r in
                SmileQuote(expiry: r["expiry"], settlement: r["settlement"], optionType: r["option_type"], strike: r["strike"], iv: r["iv"])
            }
        }
    }

    /// As-of dates of `underlying` with a recommendation row in the closed range, oldest first.
    public func recommendationDates(underlying: String, from: CalendarDate, through: CalendarDate) throws -> [CalendarDate] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT as_of FROM recommendations WHERE underlying = ? AND as_of BETWEEN ? AND ? ORDER BY as_of
                """, arguments: [underlying, from.isoString, through.isoString]).compactMap { CalendarDate(iso: $0) }
        }
    }
}

extension VixShieldDatabase {
    /// The newest as-of date of `underlying` with a recommendation row, nil on an empty database.
    public func latestRecommendationDate(underlying: String) throws -> CalendarDate? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT MAX(as_of) FROM recommendations WHERE underlying = ?", arguments: [underlying])
                .flatMap { CalendarDate(iso: $0) }
        }
    }
}
