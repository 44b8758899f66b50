#!/usr/bin/env python3
"""Fits the rational approximations behind the implied-volatility solver's small-s initial guess and
writes them as Swift to Sources/VolMath/BachelierLimitFits.swift (run from the repository root:
`python3 scripts/fit-implied-vol-guess.py`; needs numpy and mpmath).

Background (see ImpliedVolatility.swift): for x = ln(F/K) ≤ 0, u = −x and s = σ√T, the normalised Black
price satisfies b(x, s) = s ψ(a) [1 + s² κ(a) + O(s⁴)] with a = u/s, where ψ(a) = φ(a) − a Φ(−a) is the
normalised Bachelier price and κ(a) = Y'''(−a)/(24 Y'(−a)) − 1/8 (Y = Φ/φ, the Mills ratio). Given
β and u, the leading term inverts a single-variable function, z = u/β = a/ψ(a); the s² term is a
correction ε(a) with s ≈ s₀/(1 + s₀² ε), s₀ = u/a, ε = −κ/(a · d ln(ψ(a)/a)/da).

Two regions in the variable the solver has at hand:
  A: a ≤ 1, variable z = u/β (0 ≤ z ≤ z₁):      ψ as a rational in z, ε as a rational in z;
  B: 1 ≤ a ≤ 40, variable w = √(2 ln z + 2):    a as a rational in w, ε as a rational in w.
(a ≤ 40 covers every β ≥ the smallest normal double with u ≤ 1400.)

Each rational is fitted for relative error by linearised least squares with Lawson reweighting (close
to minimax) on reference values computed with mpmath at 40 digits, then checked in double precision
on an independent grid in the evaluation order the Swift code uses.
"""
import os
import numpy as np
import mpmath as mp
from numpy.polynomial import chebyshev as cheb
from numpy.polynomial import polynomial as poly

mp.mp.dps = 40
W_OFFSET = 2.0  # w = sqrt(2 ln z + W_OFFSET)
A_SPLIT = 1.0
A_MAX = 40.0


def reference(a):
    """(z, y = ln z, ψ, ε) at a, in 40-digit arithmetic."""
    a = mp.mpf(a)
    psi = mp.npdf(a) - a * mp.ncdf(-a)
    h = -a
    y = mp.ncdf(h) / mp.npdf(h)
    y1 = 1 + h * y
    y2 = y + h * y1
    y3 = 2 * y1 + h * y2
    kappa = y3 / (24 * y1) - mp.mpf(1) / 8
    dlnG = -mp.ncdf(-a) / psi - 1 / a
    eps = -kappa / (a * dlnG)
    lnz = mp.log(a) - mp.log(psi)
    return lnz, psi, eps


def table(a_values):
    rows = [reference(a) for a in a_values]
    lnz = np.array([float(r[0]) for r in rows])
    psi = np.array([float(r[1]) for r in rows])
    eps = np.array([float(r[2]) for r in rows])
    return lnz, psi, eps


def fit(v, f, degree, iterations=40):
    """P/Q (both of `degree`) minimising max |P/Q / f − 1| over the sample; monomial coefficients in v."""
    lo, hi = v.min(), v.max()
    t = (v - lo) / (hi - lo) * 2 - 1
    weights = np.ones_like(v)
    q_at = np.ones_like(v)
    best = None
    for _ in range(iterations):
        design = np.hstack([cheb.chebvander(t, degree), -(f[:, None] * cheb.chebvander(t, degree)[:, 1:])])
        scale = (np.sqrt(weights) / (np.abs(f) * np.abs(q_at)))[:, None]
        coef, *_ = np.linalg.lstsq(design * scale, f * scale[:, 0], rcond=None)
        p, q = coef[:degree + 1], np.concatenate([[1.0], coef[degree + 1:]])
        q_at = cheb.chebval(t, q)
        error = np.abs(cheb.chebval(t, p) / q_at / f - 1)
        if np.all(q_at > 0) and (best is None or error.max() < best[0]):
            best = (error.max(), p, q)
        weights = weights * error
        weights /= weights.sum()
    _, p, q = best
    # Back to monomials in v: t = α v + γ.
    alpha, gamma = 2 / (hi - lo), -2 * lo / (hi - lo) - 1
    def to_v(c):
        out = np.zeros(1)
        basis = np.array([gamma, alpha])
        for k, ck in enumerate(cheb.cheb2poly(c)):
            out = poly.polyadd(out, ck * poly.polypow(basis, k))
        return out
    p_v, q_v = to_v(p), to_v(q)
    # Scaled so that the denominator is 1 mid-interval (positive throughout, checked below).
    norm = poly.polyval((lo + hi) / 2, q_v)
    return p_v / norm, q_v / norm


def estrin(c, v):
    """Degree ≤ 4 polynomial in Estrin's scheme, the order the Swift code evaluates in."""
    c = list(c) + [0.0] * (5 - len(c))
    v2 = v * v
    return (c[0] + c[1] * v) + (c[2] + c[3] * v) * v2 + c[4] * (v2 * v2)


def check(name, p, q, v, f):
    error = np.abs(estrin(p, v) / estrin(q, v) / f - 1).max()
    assert np.all(estrin(q, v) > 0), name
    print(f"{name}: max relative error {error:.2e} on {len(v)} check points")
    return error


def swift_fit(name, doc, p, q):
    def tuple_text(c):
        return "(" + ", ".join(f"{v:.17e}" for v in c) + ")"
    return f"""    /// {doc}
    @inlinable static var {name}: QuarticRational {{
        QuarticRational(numerator: {tuple_text(p)},
                        denominator: {tuple_text(q)})
    }}
"""


def main():
    a_fit_a = np.concatenate([np.linspace(1e-9, A_SPLIT, 2001)])
    a_fit_b = np.concatenate([np.linspace(A_SPLIT, 12, 3001), np.linspace(12, A_MAX, 1001)[1:]])
    a_check_a = (a_fit_a[1:] + a_fit_a[:-1]) / 2
    a_check_b = (a_fit_b[1:] + a_fit_b[:-1]) / 2

    lnz, psi, eps = table(a_fit_a)
    z = np.exp(lnz)
    psi_p, psi_q = fit(z, psi, 4)
    epsa_p, epsa_q = fit(z, eps, 4)
    lnz_c, psi_c, eps_c = table(a_check_a)
    errors = [check("region A: ψ(z)", psi_p, psi_q, np.exp(lnz_c), psi_c),
              check("region A: ε(z)", epsa_p, epsa_q, np.exp(lnz_c), eps_c)]

    lnz, psi, eps = table(a_fit_b)
    w = np.sqrt(2 * lnz + W_OFFSET)
    a_p, a_q = fit(w, a_fit_b, 4)
    epsb_p, epsb_q = fit(w, eps, 4)
    lnz_c, psi_c, eps_c = table(a_check_b)
    w_c = np.sqrt(2 * lnz_c + W_OFFSET)
    errors += [check("region B: a(w)", a_p, a_q, w_c, a_check_b),
               check("region B: ε(w)", epsb_p, epsb_q, w_c, eps_c)]
    z_split = float(mp.mpf(A_SPLIT) / (mp.npdf(A_SPLIT) - A_SPLIT * mp.ncdf(-A_SPLIT)))

    text = f"""// Generated by scripts/fit-implied-vol-guess.py; do not edit. Rerun the script to change a fit.
// Maximal relative errors in double precision on the script's check grid:
//   region A ψ(z) {errors[0]:.1e}, ε(z) {errors[1]:.1e}; region B a(w) {errors[2]:.1e}, ε(w) {errors[3]:.1e}.

/// Rational fits (degree four over degree four, `QuarticRational`) for the small-s
/// initial guess of `ImpliedVolatility`: the inverse of the normalised Bachelier price and its first
/// correction in s². The script's docstring has the derivation.
@usableFromInline
enum BachelierLimitFits {{
    /// z = u/β at a = {A_SPLIT:g}, where region A (a ≤ {A_SPLIT:g}, fits in z) meets region B (fits in w).
    @inlinable static var zSplit: Double {{ {z_split:.17e} }}
    /// w = √(2 ln z + wOffset) is region B's variable.
    @inlinable static var wOffset: Double {{ {W_OFFSET:.1f} }}

{swift_fit("psiOfZ", "Region A: ψ(a), the normalised Bachelier price, as a function of z = a/ψ(a) ≤ zSplit.", psi_p, psi_q)}
{swift_fit("correctionOfZ", "Region A: the s² correction ε as a function of z ≤ zSplit.", epsa_p, epsa_q)}
{swift_fit("aOfW", f"Region B: a = u/s in the Bachelier limit as a function of w, for {A_SPLIT:g} ≤ a ≤ {A_MAX:g}.", a_p, a_q)}
{swift_fit("correctionOfW", "Region B: the s² correction ε as a function of w.", epsb_p, epsb_q)}}}
"""
    path = os.path.join("Sources", "VolMath", "BachelierLimitFits.swift")
    with open(path, "w") as f:
        f.write(text)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
