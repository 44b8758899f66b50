import Foundation
import VixShieldCore
import VolMath

/// P&L of the active hedge layers under one scenario, for the combined condor + hedge grid (the
/// pipeline adds the condor's own P&L for the same SPX move and vol shock).
public enum HedgeScenario {
    /// The VX change a move of SPX ATM implied vol maps to: beta × Δσ (VX points per SPX vol point).
    public static func vxChange(atmVolChangePoints: Double, beta: Double) -> Double { beta * atmVolChangePoints }

    /// Hedge P&L in USD over `horizonDays` calendar days.
    ///
    /// - Futures (VX, VXM): quantity × multiplier × `vxChangePoints` − carry per day × horizon. The VX
    ///   change is the shock on top of the expected roll-down, which the carry term charges separately.
    /// - VIX calls: revalued at the horizon by Black-76 on the shocked forward (forward + VX change)
    ///   with the remaining time and the decision's vol of vol, or at intrinsic against spot VIX +
    ///   `vixChangePoints` when the call has expired by then; P&L is that value less the premium paid.
    ///   The time decay is inside the revaluation, so no carry is subtracted for calls.
    ///
    /// - Parameters:
    ///   - vxChangePoints: the change of the hedge's VX futures (e.g. ``vxChange(atmVolChangePoints:beta:)``
    ///     for a grid column in SPX vol points); nil uses `vixChangePoints` (a parallel curve shift).
    ///   - volOfVol: the annualized vol of the VX forward for revaluing calls that carry no implied vol of their own.
    public static func pnlUSD(layers: [HedgeLayerDecision], vixChangePoints: Double, vxChangePoints: Double? = nil,
                              horizonDays: Int, asOf: CalendarDate, volOfVol: Double = ALVHConfig().volOfVol,
                              spotVIX: Double) -> Double {
        let dVX = vxChangePoints ?? vixChangePoints
        let h = Double(max(horizonDays, 0))
        var total = 0.0
        for layer in layers where layer.active && layer.quantity > 0 {
            guard let instrument = layer.instrument else { continue }
            let q = Double(layer.quantity)
            switch instrument {
            case .vx, .vxm:
                total += q * instrument.multiplierUSD * dVX - layer.carryUSDPerDay * h
            case .vixCall:
                guard let strike = layer.strike, let forward = layer.forward, let expiry = layer.contractExpiry,
                      let premium = layer.premium else { continue }
                let remainingDays = expiry.days(since: asOf) - max(horizonDays, 0)
                let value: Double
                if remainingDays <= 0 {
                    value = max(spotVIX + vixChangePoints - strike, 0)
                } else {
                    let stdDev = (layer.impliedVolatility ?? volOfVol) * (Double(remainingDays) / 365).squareRoot()
                    value = Black76.undiscountedPrice(right: .call, forward: max(forward + dVX, 0.01), strike: strike, stdDev: stdDev)
                }
                total += q * instrument.multiplierUSD * (value - premium)
            }
        }
        return total
    }
}
