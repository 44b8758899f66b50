import VixShieldCore

/// An open condor of the book (by default the paper book: every rank-1 trade, filled at its recommended
/// credit on its trade date).
public struct OpenCondor: Sendable, Hashable {
    public var openedAsOf: CalendarDate
    public var profile: String
    public var root: String
    public var expiry: CalendarDate
    public var longPut: Double, shortPut: Double, shortCall: Double, longCall: Double
    public var contracts: Int
    /// Credit received at entry, index points per condor.
    public var entryCreditPoints: Double

    public init(openedAsOf: CalendarDate, profile: String, root: String, expiry: CalendarDate, longPut: Double, shortPut: Double,
                shortCall: Double, longCall: Double, contracts: Int, entryCreditPoints: Double) {
        self.openedAsOf = openedAsOf; self.profile = profile; self.root = root; self.expiry = expiry
        self.longPut = longPut; self.shortPut = shortPut; self.shortCall = shortCall; self.longCall = longCall
        self.contracts = contracts; self.entryCreditPoints = entryCreditPoints
    }
}

/// What the night's data says about an open condor.
public struct CondorMarks: Sendable, Hashable {
    /// Today's deltas of the short legs (put negative, call positive), from the stored surface greeks.
    public var shortPutDelta: Double?
    public var shortCallDelta: Double?
    /// What closing costs now, index points per condor (buy the shorts at the ask, sell the longs at the bid).
    public var closingDebitPoints: Double?
    public var calendarDaysToExpiry: Int
    /// The VX curve's shape today (`backwardation` is stress).
    public var backwardation: Bool
    /// Scheduled releases in the next `eventLookaheadSessions` sessions.
    public var eventsAhead: [MarketEvent]

    public init(shortPutDelta: Double?, shortCallDelta: Double?, closingDebitPoints: Double?, calendarDaysToExpiry: Int,
                backwardation: Bool, eventsAhead: [MarketEvent]) {
        self.shortPutDelta = shortPutDelta; self.shortCallDelta = shortCallDelta; self.closingDebitPoints = closingDebitPoints
        self.calendarDaysToExpiry = calendarDaysToExpiry; self.backwardation = backwardation; self.eventsAhead = eventsAhead
    }
}

/// The nightly advice for one open condor.
public enum PositionAction: String, Sendable, Hashable, CaseIterable { case hold, roll, widen, close }

public struct PositionAdvice: Sendable, Hashable {
    public var action: PositionAction
    public var reason: String
    /// Mark-to-market P&L if closed now, dollars for the position (nil without a closing price).
    public var markPnlUSD: Double?
}

/// Rules, in order (the first that applies wins):
/// 1. at most `closeDaysToExpiry` calendar days left: close (settlement and pin risk are not worth the rest);
/// 2. the profit reached `profitTargetShare` of the credit: close (the rest of the credit carries the tail);
/// 3. a short strike at |delta| ≥ `closeDelta`: close; at ≥ `rollDelta` (about 0.25, a tested strike): roll
///    the tested side away;
/// 4. the VX curve in backwardation: widen (buy wings closer, or reduce), condor and hedge managed together;
/// 5. an event in the next sessions with a short strike at |delta| ≥ `eventDelta`: widen before it;
/// 6. otherwise hold.
public struct PositionAdvisor: Sendable, Hashable {
    public var closeDaysToExpiry = 1
    public var profitTargetShare = 0.5
    public var rollDelta = 0.25
    public var closeDelta = 0.40
    public var eventDelta = 0.18
    public var multiplierUSD = 100.0

    public init() {}

    public func advise(_ p: OpenCondor, marks m: CondorMarks) -> PositionAdvice {
        let markPnl = m.closingDebitPoints.map { (p.entryCreditPoints - $0) * multiplierUSD * Double(p.contracts) }
        func advice(_ a: PositionAction, _ r: String) -> PositionAdvice { PositionAdvice(action: a, reason: r, markPnlUSD: markPnl) }
        if m.calendarDaysToExpiry <= closeDaysToExpiry {
            return advice(.close, "\(m.calendarDaysToExpiry) day(s) to expiry: close rather than carry settlement and pin risk")
        }
        if let debit = m.closingDebitPoints, p.entryCreditPoints > 0, p.entryCreditPoints - debit >= profitTargetShare * p.entryCreditPoints {
            return advice(.close, "profit target reached: \(Self.points(p.entryCreditPoints - debit)) of \(Self.points(p.entryCreditPoints)) points captured")
        }
        let put = abs(m.shortPutDelta ?? 0), call = abs(m.shortCallDelta ?? 0)
        let (side, delta) = put >= call ? ("put \(Self.points(p.shortPut))", put) : ("call \(Self.points(p.shortCall))", call)
        if delta >= closeDelta { return advice(.close, "short \(side) breached: |delta| \(Self.delta(delta)) ≥ \(Self.delta(closeDelta))") }
        if delta >= rollDelta { return advice(.roll, "short \(side) tested: |delta| \(Self.delta(delta)) ≥ \(Self.delta(rollDelta)); roll that side away") }
        if m.backwardation { return advice(.widen, "VX curve in backwardation: widen or reduce, with the hedge") }
        if let event = m.eventsAhead.first, delta >= eventDelta {
            return advice(.widen, "\(event.kind) on \(event.date) with the short \(side) at |delta| \(Self.delta(delta))")
        }
        return advice(.hold, "short deltas \(Self.delta(put))/\(Self.delta(call)), \(m.calendarDaysToExpiry) days left")
    }

    static func points(_ x: Double) -> String { String((x * 100).rounded() / 100) }
    static func delta(_ x: Double) -> String { String((x * 1000).rounded() / 1000) }
}
