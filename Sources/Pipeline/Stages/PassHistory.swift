import Foundation
import Store
import VixShieldCore

/// A stored daily series kept across the nights of one cross-date pass, by date: the cross-date stages read
/// long windows of history every night (the hedge's 180-session beta window of ATM vols and VX settles, the
/// context's whole index histories and 400 days of VX curves), and re-reading them was a third of the pass.
/// Sound because a night runs after the per-date stages of every date up to it, nights run in date order,
/// and no cross-date stage writes what these hold: a date's value, once read, stays what the store holds
/// (a later date's history files that restate it send the runner to a fresh pass from that night, see
/// `CrossDatePass.firstDateToRedo`). A window that moves back is read whole again; one that moves on reads
/// only the new dates.
final class PassHistory<Value: Sendable>: @unchecked Sendable {
    typealias Load = @Sendable (_ store: VixShieldDatabase, _ series: String, _ from: CalendarDate,
                                _ through: CalendarDate) throws -> [CalendarDate: Value]
    private let load: Load
    private let lock = NSLock()
    /// Per series: the dates read so far, and the values of those that have one.
    private var cached: [String: (loaded: ClosedRange<CalendarDate>, values: [CalendarDate: Value])] = [:]

    /// - Parameter load: the values of `series` dated `from` through `through` (what a fresh read gives).
    init(load: @escaping Load) { self.load = load }

    /// The same as `load(store, series, from, through)`.
    func values(store: VixShieldDatabase, series: String, from: CalendarDate, through: CalendarDate) throws -> [CalendarDate: Value] {
        guard from <= through else { return [:] }
        return try lock.withLock {
            var values: [CalendarDate: Value]
            if let (loaded, held) = cached[series], from >= loaded.lowerBound, through >= loaded.upperBound {
                values = held
                if through > loaded.upperBound {
                    values.merge(try load(store, series, loaded.upperBound.adding(days: 1), through)) { $1 }
                }
                if from > loaded.lowerBound { values = values.filter { $0.key >= from } }
            } else {
                values = try load(store, series, from, through)
            }
            cached[series] = (from...through, values)
            return values
        }
    }

    /// The values in date order.
    func ordered(store: VixShieldDatabase, series: String, from: CalendarDate, through: CalendarDate) throws -> [Value] {
        let byDate = try values(store: store, series: series, from: from, through: through)
        return byDate.keys.sorted().map { byDate[$0]! }
    }
}

extension PassHistory where Value == Double {
    /// The 30-day ATM implied vol of each stored surface of an underlying (`HistoryInputs.atmVolatility30Day`).
    static func atmVolatility() -> PassHistory<Double> {
        PassHistory { store, underlying, from, through in
            try HistoryInputs.atmVolatility30Day(store: store, underlying: underlying, from: from, through: through)
        }
    }
}

extension PassHistory where Value == [VIXFutureRecord] {
    /// The stored VX settlements of each trade date, in the store's order (`vixFutures(from:through:)`); the
    /// series name is not used.
    static func vixFutures() -> PassHistory<[VIXFutureRecord]> {
        PassHistory { store, _, from, through in
            var out: [CalendarDate: [VIXFutureRecord]] = [:]
            // A row whose date does not parse is of no use to a reader (they all parse it).
            for r in try store.vixFutures(from: from, through: through) {
                if let d = CalendarDate(iso: r.tradeDate) { out[d, default: []].append(r) }
            }
            return out
        }
    }
}

extension PassHistory where Value == IndexHistoryRecord {
    /// The stored bars of one index symbol (`indexHistory(symbol:from:through:)`).
    static func indexHistory() -> PassHistory<IndexHistoryRecord> {
        PassHistory { store, symbol, from, through in
            var out: [CalendarDate: IndexHistoryRecord] = [:]
            for r in try store.indexHistory(symbol: symbol, from: from, through: through) {
                if let d = CalendarDate(iso: r.date) { out[d] = r }
            }
            return out
        }
    }
}
