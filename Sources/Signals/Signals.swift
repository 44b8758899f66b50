/// Signals: pure indicators, realized volatility, volatility context, event statistics and surface
/// projections over stored history. No I/O: callers pass the series in.
public enum SignalsModule {}
