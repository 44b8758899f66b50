import Foundation
import Store
import VixShieldCore

/// The 30-day ATM implied vol of each stored surface (`HistoryInputs.atmVolatility30Day`), kept across the
/// nights of one cross-date pass. The hedge reads a 180-session window every night, and re-reading and
/// re-evaluating every slice of it was a fifth of the pass. Sound because the pass runs after every date's
/// per-date stages and in date order, and no cross-date stage writes surfaces: a date's value, once read,
/// stays what the store holds. A window that moves back (or an underlying that changes) is read whole again.
final class ATMVolatilityHistory: @unchecked Sendable {
    private let lock = NSLock()
    private var underlying = ""
    /// The dates read so far, and the values of those with a 30-day ATM vol.
    private var loaded: ClosedRange<CalendarDate>?
    private var values: [CalendarDate: Double] = [:]

    /// The same as `HistoryInputs.atmVolatility30Day(store:underlying:from:through:)`.
    func values(store: VixShieldDatabase, underlying: String, from: CalendarDate, through: CalendarDate) throws -> [CalendarDate: Double] {
        guard from <= through else { return [:] }
        return try lock.withLock {
            if let loaded, underlying == self.underlying, from >= loaded.lowerBound, through >= loaded.upperBound {
                if through > loaded.upperBound {
                    let new = try HistoryInputs.atmVolatility30Day(store: store, underlying: underlying,
                                                                   from: loaded.upperBound.adding(days: 1), through: through)
                    values.merge(new) { $1 }
                }
                values = values.filter { $0.key >= from }
            } else {
                values = try HistoryInputs.atmVolatility30Day(store: store, underlying: underlying, from: from, through: through)
            }
            self.underlying = underlying
            loaded = from...through
            return values
        }
    }
}
