/// Signals: pure indicators, realized volatility, volatility context, event statistics, the business-time
/// clock, event variance and surface projections. No I/O: callers pass the series in, values come back.
///
/// Conventions shared by every file here:
/// - A daily series is a `DatedSeries`: strictly increasing `CalendarDate`s. A missing date is simply
///   absent; indicators run over *observations*, so a gap makes the next change span two sessions.
/// - Volatilities are annualized decimals (`0.16`), variances their squares; `...VolPoints` are ×100.
/// - Public entry points validate and throw `SignalsError`; nothing here traps on data.
public enum SignalsModule {}
