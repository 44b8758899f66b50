import VixShieldCore

/// One chain's quotes made ready to insert before the transaction that stores them: checked against what the
/// `option_quotes` view derives, grouped into series and put in insert order. A date's transaction is the one
/// thing parallel backfill dates wait for, so the work that needs no database is done here, on the date's own
/// thread (it was most of the time a chain's insert held the writer).
public struct PreparedChain: Sendable {
    let key: ChainKey
    public let snapshot: ChainSnapshotRecord
    let quotes: [OptionQuoteRecord]
    /// The chain's series in (root, expiry) order, which is also the order of their ids (the day's lowest free
    /// numbers, taken when the chain is inserted), with their settlement style.
    let series: [(name: QuoteStorage.SeriesName, settlement: String)]
    /// Every quote in insert order, `series` being its index in `series`, with its rank in the series.
    let order: [(key: QuoteStorage.RowKey, rank: Int64)]
    /// Ties surface columns to the chain they were aligned with.
    let identity = Identity()

    final class Identity: Sendable {}

    /// Checks and orders `quotes`, the chain of `snapshot`; throws `QuoteStorageError`.
    public init(snapshot: ChainSnapshotRecord, quotes: [OptionQuoteRecord]) throws {
        self.snapshot = snapshot
        self.quotes = quotes
        key = ChainKey(asOf: snapshot.asOf, underlying: snapshot.underlying, quoteSet: snapshot.quoteSet)
        var settlements: [QuoteStorage.SeriesName: String] = [:]
        for q in quotes {
            guard let expiry = CalendarDate(iso: q.expiry), let right = OptionRight(rawValue: q.optionType),
                  OptionContract(root: q.root, expiry: expiry, right: right, strikeMilli: q.strikeMilli).symbol == q.symbol,
                  q.strike == Double(q.strikeMilli) / 1000 else { throw QuoteStorageError.notCanonical(q.symbol) }
            let name = QuoteStorage.SeriesName(root: q.root, expiry: q.expiry)
            if let known = settlements.updateValue(q.settlement, forKey: name), known != q.settlement {
                throw QuoteStorageError.mixedSettlement(root: q.root, expiry: q.expiry)
            }
        }
        series = settlements.keys.sorted { ($0.root, $0.expiry) < ($1.root, $1.expiry) }.map { ($0, settlements[$0]!) }
        let rankOf = Dictionary(uniqueKeysWithValues: series.enumerated().map { ($0.element.name, Int64($0.offset)) })

        // In key order, so the chain is appended as one run of rowids. Only the keys are sorted: moving the
        // records themselves (about 300 bytes each) was a sixth of writing a chain.
        var keys: [QuoteStorage.RowKey] = []
        keys.reserveCapacity(quotes.count)
        var lastSeries: (name: QuoteStorage.SeriesName, rank: Int64)? = nil
        for (index, q) in quotes.enumerated() {
            let name = QuoteStorage.SeriesName(root: q.root, expiry: q.expiry)
            // Vendors list a series' quotes together: look the series up once per run of them.
            let rank = lastSeries?.name == name ? lastSeries!.rank : rankOf[name]!
            lastSeries = (name, rank)
            // "C" < "P", as the type column sorted before (the check above admits no other types).
            keys.append(QuoteStorage.RowKey(series: rank, isPut: q.optionType == "P", strikeMilli: q.strikeMilli, seq: q.seq, index: index))
        }
        keys.sort()
        var order: [(key: QuoteStorage.RowKey, rank: Int64)] = []
        order.reserveCapacity(keys.count)
        for (position, key) in keys.enumerated() {
            let q = quotes[key.index]
            var rank: Int64 = 0
            if position > 0 {
                let previous = keys[position - 1]
                guard previous.series != key.series || (quotes[previous.index].symbol, previous.seq) != (q.symbol, q.seq) else {
                    throw QuoteStorageError.duplicate(q.symbol, seq: q.seq)
                }
                rank = previous.series == key.series ? order[position - 1].rank + 1 : 0
            }
            guard rank < QuoteStorage.perKey else { throw QuoteStorageError.seriesTooLarge(root: q.root, expiry: q.expiry) }
            order.append((key, rank))
        }
        self.order = order
    }

    /// Whether this is the chain partition of (`asOf`, `underlying`, `quoteSet`).
    public func isPartition(asOf: CalendarDate, underlying: String, quoteSet: String) -> Bool {
        key == ChainKey(asOf: asOf.isoString, underlying: underlying, quoteSet: quoteSet)
    }

    /// The surface stage's results set on this chain's quotes (by symbol; the last result of a symbol wins, as
    /// the stored rows took the last update of one; none for a chain stored without a surface). Throws
    /// `QuoteStorageError.flagNames` when two rows as stored name equal flags otherwise.
    public func surfaceColumns(_ options: [OptionSurfaceResult]) throws -> SurfaceColumns {
        var bySymbol: [String: Int32] = [:]
        bySymbol.reserveCapacity(options.count)  // a full chain is ~30k: growing by rehashing showed in profiles
        for (i, o) in options.enumerated() { bySymbol[o.symbol] = Int32(i) }
        var optionIndex = [Int32](repeating: -1, count: quotes.count)
        var names: [Int: String] = [:]
        for (key, _) in order {
            let q = quotes[key.index]
            let i = bySymbol.isEmpty ? -1 : bySymbol[q.symbol] ?? -1
            optionIndex[key.index] = i
            let flags = i >= 0 ? options[Int(i)].flags ?? q.flags : q.flags
            let flagNames = i >= 0 ? options[Int(i)].flagNames ?? q.flagNames : q.flagNames
            if let known = names.updateValue(flagNames, forKey: flags), known != flagNames {
                throw QuoteStorageError.flagNames(flags: flags, known, flagNames)
            }
        }
        return SurfaceColumns(chain: identity, options: options, optionIndex: optionIndex, flagNames: names)
    }
}

/// Surface results lined up with the quotes of one `PreparedChain` (see `PreparedChain.surfaceColumns`).
public struct SurfaceColumns: Sendable {
    let chain: PreparedChain.Identity
    let options: [OptionSurfaceResult]
    /// For each quote of the chain (by its index there), the result that sets its columns, or −1.
    let optionIndex: [Int32]
    /// The flags' names of the rows as they will be stored.
    let flagNames: [Int: String]

    func option(forQuote index: Int) -> OptionSurfaceResult? {
        let i = optionIndex[index]
        return i >= 0 ? options[Int(i)] : nil
    }
}
