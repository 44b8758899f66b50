#!/usr/bin/env python3
"""Writes the malformed-input corpus in Malformed/ (run from this folder). Each file is checked by
MalformedCorpusTests.swift, which pins the exact error or diagnostics it must produce."""
import io, json, os, zipfile

os.makedirs("Malformed", exist_ok=True)

def w(name, content):
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    with open(os.path.join("Malformed", name), "wb") as f:
        f.write(data)

# MARK: Cboe options JSON
def opt(sym, bid, ask):
    return {"option": sym, "bid": bid, "bid_size": 10.0, "ask": ask, "ask_size": 10.0, "iv": 0.15, "open_interest": 100.0,
            "volume": 5.0, "delta": 0.5, "last_trade_price": 1.0, "last_trade_time": None}
def doc(options, **under):
    d = {"symbol": "^SPX", "current_price": 6243.76, "close": 6243.76, "last_trade_time": "2026-07-14T16:14:59", "options": options}
    d.update(under)
    return {"timestamp": "2026-07-15 03:56:30", "symbol": "_SPX", "data": d}
good = [opt("SPXW260821C06200000", 95.1, 96.3), opt("SPXW260821P06200000", 60.2, 61.0)]
full = json.dumps(doc(good))
w("json_truncated.json", full[:200])
w("json_empty.json", "")
w("json_html_error_page.json", "<html><body>503 Service Unavailable</body></html>\n")
d = doc(good); del d["data"]["options"]; w("json_missing_options.json", json.dumps(d))
w("json_missing_data.json", json.dumps({"timestamp": "2026-07-15 03:56:30", "symbol": "_SPX"}))
w("json_null_last_trade_time.json", json.dumps(doc(good, last_trade_time=None)))
d = doc(good); d["data"]["options"] = {"a": 1}; w("json_options_not_array.json", json.dumps(d))
w("json_invalid_utf8.json", full.replace("^SPX", "^SP\udcffX", 1).encode("utf-8", "surrogateescape"))
w("json_nan_negative_prices.json", json.dumps(doc([opt("SPXW260821C06200000", None, 96.3), opt("SPXW260821P06200000", 60.2, -1.0),
                                                   opt("SPXW260821P06250000", "abc", 61.0)])))
w("json_crossed_locked_duplicate.json", json.dumps(doc([opt("SPXW260821C06200000", 97.0, 96.3), opt("SPXW260821P06200000", 60.0, 60.0),
                                                        opt("SPXW260821C06200000", 95.1, 96.3)])))
w("json_all_bad_symbols.json", json.dumps(doc([opt("SPXW2608", 1, 2), opt("", 1, 2), opt("SPXW261321C06200000", 1, 2)])))
w("json_expired_contracts.json", json.dumps(doc([opt("SPXW260713C06200000", 1.0, 1.1), opt("SPX260714P06200000", 1.0, 1.1),
                                                 opt("SPXW260714P06200000", 1.0, 1.1)])))
d = doc(good); d["data"]["nested"] = json.loads("[" * 100 + "]" * 100); w("json_deep_nesting.json", json.dumps(d))
w("json_trailing_garbage.json", full + "}")
w("json_wrong_session.json", json.dumps(doc(good)))

# MARK: Cboe DataShop EOD
hdr = ("underlying_symbol,quote_date,root,expiration,strike,option_type,open,high,low,close,trade_volume,bid_size_1545,"
       "bid_1545,ask_size_1545,ask_1545,underlying_bid_1545,underlying_ask_1545,implied_underlying_price_1545,"
       "active_underlying_price_1545,implied_volatility_1545,delta_1545,gamma_1545,theta_1545,vega_1545,rho_1545,"
       "bid_size_eod,bid_eod,ask_size_eod,ask_eod,underlying_bid_eod,underlying_ask_eod,vwap,open_interest,delivery_code")
row = ("^SPX,2026-07-14,SPXW,2026-08-21,6200.000,C,0,0,0,95.5,10,10,94.8,12,96.0,6240.1,6240.9,6241,6240.5,0.14,0.56,"
       "0.001,-0.5,1.2,0.3,11,95.1,13,96.3,6243.5,6244.0,0,500,")
w("datashop_missing_column.csv", hdr.replace(",bid_eod", "") + "\n" + row.replace(",95.1,13", ",13") + "\n")
w("datashop_extra_column_row.csv", hdr + "\n" + row + "\n" + row.replace(",C,", ",P,") + ",EXTRA\n")
w("datashop_bad_fields.csv", hdr + "\n" + row + "\n" + row.replace("6200.000", "62x0") + "\n" + row.replace(",C,", ",X,") + "\n"
  + row.replace("2026-08-21", "2026-02-30") + "\n" + row.replace(",94.8,", ",n/a,") + "\n" + row.replace("SPXW", "spx w") + "\n")
w("datashop_empty.csv", "")
w("datashop_header_only_bom.csv", "\ufeff" + hdr + "\r\n")
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("README.txt", "no data here\n")
w("datashop_zip_no_csv.zip", buf.getvalue())
w("datashop_not_a_zip.zip", hdr + "\n" + row + "\n")
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("UnderlyingOptionsEODCalcs_2026-07-14.csv", (hdr + "\n" + row + "\n") * 50)
w("datashop_truncated.zip", buf.getvalue()[:300])

# MARK: OptionsDX
oh = ("[QUOTE_UNIXTIME], [QUOTE_READTIME], [QUOTE_DATE], [QUOTE_TIME_HOURS], [UNDERLYING_LAST], [EXPIRE_DATE], [EXPIRE_UNIX], "
      "[DTE], [C_DELTA], [C_GAMMA], [C_VEGA], [C_THETA], [C_RHO], [C_IV], [C_VOLUME], [C_LAST], [C_SIZE], [C_BID], [C_ASK], "
      "[STRIKE], [P_BID], [P_ASK], [P_SIZE], [P_LAST], [P_DELTA], [P_GAMMA], [P_VEGA], [P_THETA], [P_RHO], [P_IV], [P_VOLUME], "
      "[STRIKE_DISTANCE], [STRIKE_DISTANCE_PCT]")
orow = (" 1594843200, 2020-07-15 16:00, 2020-07-15, 16.000000, 3226.560000, 2020-07-20, 1595275200, 5.000000, 0.52, 0.006, "
        "1.3, -2.1, 0.2, 0.2, 1, 40.0, 5 x 7, 40.100000, 41.000000, 3225.000000, 37.900000, 38.800000, 7 x 9, 38.000000, "
        "-0.48, 0.006, 1.3, -2.0, -0.2, 0.22, 100.000000, 1.6, 0.0")
w("optionsdx_bad_size_and_date.txt", oh + "\n" + orow + "\n" + orow.replace("5 x 7", "5 by 7") + "\n"
  + orow.replace(" 2020-07-20,", " 07/20/2020,") + "\n")
w("optionsdx_missing_column.txt", oh.replace(", [P_ASK]", "") + "\n")
w("optionsdx_all_rows_bad.txt", oh + "\n" + orow.replace(" 40.100000,", " abc,") + "\n" + orow.replace("3225.000000", "") + "\n")
w("optionsdx_crossed_negative_nan.txt", oh + "\n" + orow.replace(" 40.100000, 41.000000,", " 42.000000, 41.000000,")
  .replace(" 37.900000, 38.800000,", " -1.000000, NaN,") + "\n")

# MARK: CFE VX
vh = "Trade Date,Futures,Open,High,Low,Close,Settle,Change,Total Volume,EFP,Open Interest"
w("vx_wrong_header.csv", "Date,Contract,Price\r\n01/02/2014,F (Jan 14),14.5\r\n")
w("vx_bad_dates.csv", vh + "\r\n01/02/2014,F (Jan 14),14,14,14,14,14.50,0,1,0,1\r\n13/45/2014,F (Jan 14),14,14,14,14,14.50,0,1,0,1\r\n"
  "2014-02-30,F (Jan 14),14,14,14,14,14.50,0,1,0,1\r\n")
w("vx_zero_negative_nan_settle.csv", vh + "\n01/02/2014,F (Jan 14),14,14,14,14,14.50,0,1,0,1\n01/03/2014,F (Jan 14),0,0,0,0,0.00,0,0,0,0\n"
  "01/06/2014,F (Jan 14),14,14,14,14,-3.00,0,1,0,1\n01/07/2014,F (Jan 14),14,14,14,14,NaN,0,1,0,1\n"
  "01/08/2014,F (Jan 14),14,14,14,14,,0,1,0,1\n")
w("vx_duplicates_and_missing_columns.csv", vh + "\n01/02/2014,F (Jan 14),14,14,14,14,14.50,0,1,0,1\n"
  "01/02/2014,F (Jan 14),14,14,14,14,14.60,0,1,0,1\n01/03/2014,F (Jan 14),14,14\n")
w("vx_bad_contract_and_late_date.csv", vh + "\n01/02/2014,F (Jan 14),14,14,14,14,14.50,0,1,0,1\n"
  "01/03/2014,F (Feb 14),14,14,14,14,14.50,0,1,0,1\n01/23/2014,F (Jan 14),14,14,14,14,14.50,0,1,0,1\n"
  "01/06/2014,Jan 2014,14,14,14,14,14.50,0,1,0,1\n")
w("vx_all_zero_settles.csv", vh + "\n01/02/2014,F (Jan 14),0,0,0,0,0,0,0,0,0\n01/03/2014,F (Jan 14),0,0,0,0,0,0,0,0,0\n")
w("vx_disclaimer_only.csv", "CFE data is compiled for the convenience of site visitors and is furnished without responsibility for accuracy\n")
w("vx_unscaled_pre2007.csv", vh + "\n10/21/2004,F (Jan 05),168.1,168.9,168,168.5,16.70,167,13,0,13\n"
  "10/22/2004,F (Jan 05),166.7,170,166.3,170,169.4,2.4,74,0,87\n")
w("vx_curve_no_asof.csv", "expiration_date,symbol,settlement\n2026-07-22,VX/N6,17.3\n")
w("vx_curve_bad_rows.csv", "expiration_date,symbol,settlement\n2026-07-22,VX/N6,17.3\n2026-07-22,VX/N6,17.4\n2026-08-19,VX/Q6,0\n"
  "2026-06-17,VX/M6,18.0\n2026-09-17,VX/U6,19.0\n2026-10-21,VXX/V6,19.5\n2026-11-18,VX/X6,\n")
w("vx_curve_truncated.csv", "expiration_date,symbol,settlement\n2026-07-22,VX/N6,17.3\n2026-08-19,VX/Q")

# MARK: CFE live settlement file (Product,Symbol,Expiration Date,Price; CRLF as served)
H = "Product,Symbol,Expiration Date,Price\r\n"
w("settle_bad_rows.csv", H + "VX,VX/N6,2026-07-22,17.45\r\nVX,VX/N6,2026-07-22,17.50\r\nVX,VX/Q6,2026-08-19,0\r\n"
  "VX,VXM/U6,2026-09-16,19.1\r\nVX,VX/U6,2026-09-17,19.1\r\nVXM,VXM/V6,13/10/2026,19.5\r\nVXM,VXM/X6,2026-11-18,\r\n"
  "AMW,AMW/N6,2026-07-31,5.2\r\n")
w("settle_stale_curve.csv", H + "VX,VX/N6,2026-07-22,17.45\r\nVX,VX/Q6,2026-08-19,18.5\r\n")
w("settle_missing_price_column.csv", "Product,Symbol,Expiration Date\r\nVX,VX/N6,2026-07-22\r\n")

# MARK: index histories
ih = "DATE,OPEN,HIGH,LOW,CLOSE"
w("index_invalid_utf8.csv", (ih + "\n01/02/1990,17.24,17.24,17.24,17.24\n").encode() + b"01/03/1990,18.19,\xff\xfe,18.19,18.19\n")
w("index_missing_close.csv", "DATE,OPEN,HIGH,LOW\n01/02/1990,17.24,17.24,17.24\n")
w("index_nan_negative_zero.csv", ih + "\n01/02/1990,17.24,17.24,17.24,17.24\n01/03/1990,NaN,18.19,18.19,18.19\n"
  "01/04/1990,19.22,19.22,19.22,-19.22\n01/05/1990,20.11,20.11,20.11,0\n01/08/1990,20.26,20.26,20.26,inf\n")
w("index_duplicates_wrong_dates.csv", "\ufeff" + ih + "\r\n01/02/1990,17.24,17.24,17.24,17.24\r\n01/02/1990,17.25,17.25,17.25,17.25\r\n"
  "1990-01-03,18.19,18.19,18.19,18.19\r\n02/30/1990,1,1,1,1\r\n01/04/90,1,1,1,1\r\n")
w("index_extra_and_missing_columns.csv", ih + "\n01/02/1990,17.24,17.24,17.24,17.24\n01/03/1990,18.19,18.19\n"
  "01/04/1990,19.22,19.22,19.22,19.22,99\n")
w("index_unterminated_quote.csv", ih + "\n01/02/1990,\"17.24,17.24,17.24,17.24\n")
w("index_gzip_bytes.csv", bytes([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]))
w("index_single_series_empty_name.csv", "DATE,\n01/02/1990,17.24\n")
w("ohlc_all_null.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,null,null,null,null,null,null\n"
  "2020-01-03,null,null,null,null,null,null\n")
w("ohlc_no_date_column.csv", "Day,Open,High,Low,Close\n2020-01-02,1,2,0.5,1.5\n")
