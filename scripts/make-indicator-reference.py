#!/usr/bin/env python3
"""Writes the reference series the Signals indicator contract tests compare against.

    pip install TA-Lib numpy   # TA-Lib >= 0.6 wheels bundle the C library
    python3 scripts/make-indicator-reference.py

Output: Tests/SignalsTests/Fixtures/indicator-reference.csv (committed; regenerate only on purpose).

Input series: 500 weekday sessions from 2021-01-04 with about 6 % of them dropped at random (the
gaps), closes from a seeded log-normal random walk with occasional volatility bursts. Indicators run
over *observations*, so the gaps are simply absent rows. Columns:
  rsi14                         TA-Lib RSI(timeperiod=14)
  macd, macd_signal, macd_hist  TA-Lib MACD(12, 26, 9)
  band_low, band_high           RSI(14) rolling 10th/90th percentiles over 252 observations, NumPy
                                np.percentile(method="linear") (Hyndman-Fan type 7), an independent
                                NumPy reference (TA-Lib has no rolling percentile)
Empty cells are TA-Lib's NaN warm-up (and the band's). Floats are written with repr (17 digits).
"""
import datetime as dt
import pathlib

import numpy as np
import talib

SEED = 20260715
COUNT = 500
OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/SignalsTests/Fixtures/indicator-reference.csv"


def series():
    rng = np.random.default_rng(SEED)
    days, d = [], dt.date(2021, 1, 4)
    while len(days) < COUNT:
        if d.weekday() < 5 and rng.random() >= 0.06:
            days.append(d)
        d += dt.timedelta(days=1)
    vol = np.where(rng.random(COUNT) < 0.1, 0.03, 0.01)
    closes = 3700.0 * np.exp(np.cumsum(vol * rng.standard_normal(COUNT)))
    return days, closes


def rolling_band(values, window, p):
    out = np.full(len(values), np.nan)
    for i in range(len(values)):
        chunk = values[max(0, i - window + 1): i + 1]
        if len(chunk) == window and not np.isnan(chunk).any():
            out[i] = np.percentile(chunk, p, method="linear")
    return out


def cell(x):
    return "" if np.isnan(x) else repr(float(x))


def main():
    days, closes = series()
    rsi = talib.RSI(closes, timeperiod=14)
    macd, signal, hist = talib.MACD(closes, fastperiod=12, slowperiod=26, signalperiod=9)
    low, high = rolling_band(rsi, 252, 10), rolling_band(rsi, 252, 90)
    lines = [
        f"# TA-Lib {talib.__ta_version__.decode()} (Python TA-Lib {talib.__version__}), NumPy {np.__version__}",
        f"# scripts/make-indicator-reference.py, seed {SEED}, {COUNT} observations with gaps",
        "date,close,rsi14,macd,macd_signal,macd_hist,band_low,band_high",
    ]
    for row in zip(days, closes, rsi, macd, signal, hist, low, high):
        lines.append(",".join([row[0].isoformat()] + [cell(x) for x in row[1:]]))
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT} ({COUNT} rows)")


if __name__ == "__main__":
    main()
