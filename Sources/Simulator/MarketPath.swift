import Foundation
import VixShieldCore

/// The simulated state of one session after its close.
struct SessionState: Sendable {
    var date: CalendarDate
    var open: Double
    var high: Double
    var low: Double
    var close: Double
    var previousClose: Double
    /// Instantaneous annualized variance at the close (what the next day's surface starts from).
    var variance: Double
    /// The continuously compounded short rate, on the 0.01 % grid that DGS3MO publishes.
    var rate: Double
    var logReturn: Double
    var advances: Int
    var declines: Int
    var unchanged: Int
}

/// The SPX path, variance, rate and breadth over a run of trading days.
///
/// Each session is one step of dt = 1/252 (trading time), with full truncation for the variance:
///
///     ln S' = ln S + (r − q − v/2 − λ m) dt + √(v dt) Z_s + J,
///     v'    = v + κ(θ̄ − v) dt + ξ √(v dt) Z_v,   corr(Z_s, Z_v) = ρ,
///
/// where J is the move of a scheduled event (normal, FOMC- or CPI-sized, variance up after a drop and
/// down after a rise) or of an unscheduled crash (probability λ per session, mean m, variance ×
/// multiplier), and λ m compensates the crash drift so the index stays a martingale under r − q.
enum MarketPath {
    static let dt = 1.0 / 252

    static func simulate(days: [CalendarDate], events: [CalendarDate: [SimulatedEvent]], config c: SimulationConfig) -> [SessionState] {
        var rng = SeededRandom(seed: c.seed, stream: RandomStream.path)
        var breadthRNG = SeededRandom(seed: c.seed, stream: RandomStream.breadth)
        var out: [SessionState] = []
        out.reserveCapacity(days.count)
        var spot = c.spotStart
        var variance = c.initialVariance
        var rate = c.initialRate
        let crashCompensation = c.crashProbabilityPerDay * (exp(c.crashMeanReturn + c.crashReturnStdDev * c.crashReturnStdDev / 2) - 1)
        for (i, date) in days.enumerated() {
            if i == 0 {
                out.append(SessionState(date: date, open: spot, high: spot, low: spot, close: spot, previousClose: spot,
                                        variance: variance, rate: publishedRate(rate), logReturn: 0,
                                        advances: c.breadthUniverse / 2, declines: c.breadthUniverse / 2 - c.breadthUniverse / 40,
                                        unchanged: c.breadthUniverse / 40))
                continue
            }
            let v = max(variance, c.minimumVariance)
            let zv = rng.normal()
            let zs = c.spotVarianceCorrelation * zv + (1 - c.spotVarianceCorrelation * c.spotVarianceCorrelation).squareRoot() * rng.normal()
            let r = publishedRate(rate)
            var diffusive = (r - c.dividendYield - v / 2) * dt - crashCompensation + (v * dt).squareRoot() * zs
            var nextVariance = variance + c.meanReversionPerYear * (c.longRunVariance - v) * dt + c.volOfVariance * (v * dt).squareRoot() * zv
            var jump = 0.0
            for event in events[date] ?? [] {
                let size = event.kind == .fomc ? c.fomcMoveStdDev : c.cpiMoveStdDev
                let move = size * rng.normal()
                // Compensate so the event leaves the forward unbiased: E[e^{J}] = 1.
                jump += move - size * size / 2
                if size > 0 {
                    let standardized = move / size
                    nextVariance *= standardized < 0 ? 1 + c.eventVarianceSensitivity * -standardized
                        : max(0.5, 1 - c.eventVarianceSensitivity / 2 * standardized)
                }
            }
            if rng.uniform() < c.crashProbabilityPerDay {
                jump += c.crashMeanReturn + c.crashReturnStdDev * rng.normal()
                nextVariance = max(nextVariance, v) * c.crashVarianceMultiplier
            }
            diffusive += jump
            variance = max(nextVariance, c.minimumVariance)
            let previous = spot
            spot *= exp(diffusive)

            // Intraday: the open gaps by a fraction of the day's move plus overnight noise; high and low
            // extend beyond the open/close by a half-normal share of the day's standard deviation.
            let daySD = (v * dt).squareRoot()
            let open = previous * exp(0.3 * diffusive * rng.uniform() + 0.2 * daySD * rng.normal())
            let high = max(open, spot) * exp(0.5 * daySD * abs(rng.normal()))
            let low = min(open, spot) * exp(-0.5 * daySD * abs(rng.normal()))

            // The short rate: a slow mean-reverting walk, reflected at the band edges.
            rate += c.rateMeanReversionPerYear * (c.rateMean - rate) * dt + c.rateVolatilityPerYear * dt.squareRoot() * rng.normal()
            if rate < c.rateBounds.lowerBound { rate = 2 * c.rateBounds.lowerBound - rate }
            if rate > c.rateBounds.upperBound { rate = 2 * c.rateBounds.upperBound - rate }
            rate = min(max(rate, c.rateBounds.lowerBound), c.rateBounds.upperBound)

            // Breadth: the share of advancing issues is a probit of the standardized index move plus
            // idiosyncratic noise, so the A/D line tracks SPX with realistic divergences.
            let z = diffusive / daySD
            let advancingShare = 0.5 * erfc(-(0.9 * z + 0.45 * breadthRNG.normal()) / 2.0.squareRoot())
            let unchanged = Int((Double(c.breadthUniverse) * breadthRNG.uniform(0.01, 0.03)).rounded())
            let advances = Int((Double(c.breadthUniverse - unchanged) * advancingShare).rounded())
            out.append(SessionState(date: date, open: open, high: high, low: low, close: spot, previousClose: previous,
                                    variance: variance, rate: publishedRate(rate), logReturn: diffusive,
                                    advances: advances, declines: c.breadthUniverse - unchanged - advances, unchanged: unchanged))
        }
        return out
    }

    /// The rate on the 0.01 % grid (DGS3MO prints two decimals of a percent), so the file and the
    /// pricing agree exactly.
    static func publishedRate(_ rate: Double) -> Double { (rate * 10_000).rounded() / 10_000 }
}
