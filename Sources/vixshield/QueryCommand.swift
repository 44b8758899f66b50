import ArgumentParser
import Foundation
import Pipeline
import Store
import VixShieldCore

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print stored results (the database is opened read-only and never migrated).",
        subcommands: [Recommendations.self, Hedges.self, Surface.self, Indicators.self, Context.self, Events.self,
                      Projections.self, Scenarios.self, Positions.self, Parity.self, Performance.self, Runs.self])

    /// Date selection shared by the per-date tables.
    struct DateRange: ParsableArguments {
        @Option(help: "One as-of date (YYYY-MM-DD).")
        var date: CalendarDate?
        @Option(help: "First as-of date (YYYY-MM-DD).")
        var from: CalendarDate?
        @Option(help: "Last as-of date (YYYY-MM-DD).")
        var to: CalendarDate?

        func validate() throws {
            if date != nil, from != nil || to != nil { throw ValidationError("use --date or --from/--to, not both") }
            if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to)") }
        }

        /// The closed as-of range; everything when nothing is given.
        var range: Report.DateRange {
            if let date { return Report.DateRange(from: date, through: date) }
            return Report.DateRange(from: from, through: to)
        }
    }

    struct Recommendations: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Iron condor recommendations (best first per date and profile).",
            discussion: "The table format shows a compact ticket that fits 120 columns; --wide, csv and json show every column.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var range: DateRange
        @Option(help: "table, csv or json.") var format: OutputFormat = .table
        @Flag(help: "Every column in the table format.") var wide = false

        func run() throws {
            let compact = format == .table && !wide
            try printReport(compact ? .recommendationTickets(range.range) : .recommendations(range.range), common: common, format: format,
                            maxWidth: compact ? 120 : nil)
        }
    }

    struct Hedges: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "VIX hedge layers, each next to the condor it protects.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var range: DateRange
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws { try printReport(.hedges(range.range), common: common, format: format) }
    }

    struct Surface: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fitted surface slices: forward, discount, SVI parameters, fit quality, flags.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var range: DateRange
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws { try printReport(.surface(range.range), common: common, format: format) }
    }

    struct Indicators: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "RSI, adaptive bands, MACD, realized volatility and (SPX) the A/D line, one row per date.")
        @OptionGroup var common: CommonOptions
        @Option(help: "SPX or VIX.") var symbol: String = "SPX"
        @OptionGroup var range: DateRange
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws { try printReport(.indicators(symbol: symbol.uppercased(), range.range), common: common, format: format) }
    }

    struct Context: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "VIX term structure, VX curve, variance risk premium and their one-year ranks, per date.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var range: DateRange
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws { try printReport(.context(range.range), common: common, format: format) }
    }

    struct Events: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How SPX, the VIX and ATM implied vol reacted to past FOMC, CPI and PPI releases.",
            discussion: "--summary prints the per-kind statistics as of each date instead (mean absolute move, quantiles, excess variance).")
        @OptionGroup var common: CommonOptions
        @Option(help: "fomc, cpi or ppi (default: every kind).") var kind: String?
        @Flag(help: "Per-kind statistics instead of one row per event.") var summary = false
        @OptionGroup var range: DateRange
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws {
            try printReport(summary ? .eventSummaries(range.range) : .events(kind: kind, range.range), common: common, format: format)
        }
    }

    struct Projections: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The surface projected to the next session and past each upcoming event: ATM vol now and projected, expected moves.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var range: DateRange
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws { try printReport(.projections(range.range), common: common, format: format) }
    }

    struct Scenarios: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The recommended condor's P&L with and without its hedge over SPX moves × vol shocks, next day and at expiry.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Only this profile.") var profile: String?
        @OptionGroup var range: DateRange
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws { try printReport(.scenarios(profile: profile, range.range), common: common, format: format) }
    }

    struct Positions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Nightly hold / roll / widen / close advice for every open condor of the paper book.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var range: DateRange
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws { try printReport(.positions(range.range), common: common, format: format) }
    }

    struct Parity: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Conversion, reversal and box violations larger than their bid/ask costs.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var range: DateRange
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws { try printReport(.parity(range.range), common: common, format: format) }
    }

    struct Performance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How the scored recommendations did per profile: trades, win rate, mean and worst P&L, drawdown, Sharpe.",
            discussion: "Rank-1 trades whose expiry is in the range, scored at settlement (SPX at the expiry morning's opening value, SPXW at the close).")
        @OptionGroup var common: CommonOptions
        @Option(help: "First expiry date (YYYY-MM-DD).") var from: CalendarDate?
        @Option(help: "Last expiry date (YYYY-MM-DD).") var to: CalendarDate?
        @Option(help: "Only this profile.") var profile: String?
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws {
            let result: Tabular
            do {
                result = try PerformanceReport.table(store: try VixShieldDatabase(path: common.databasePath, readOnly: true),
                                                     from: from, through: to, profile: profile)
            } catch {
                throw failure("\(error)")
            }
            print(TabularText.render(columns: result.columns, rows: result.rows, format: format), terminator: "")
        }
    }

    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The run ledger, newest first.")
        @OptionGroup var common: CommonOptions
        @Option(help: "How many runs.") var limit: Int = 20
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws { try printReport(.runs(limit: limit), common: common, format: format) }
    }
}

/// Opens the database read-only, reads one named listing and prints it to stdout in the chosen format.
func printReport(_ report: Report, common: CommonOptions, format: OutputFormat, maxWidth: Int? = nil) throws {
    let result: Tabular
    do {
        result = try VixShieldDatabase(path: common.databasePath, readOnly: true).report(report)
    } catch {
        FileHandle.standardError.write(Data("vixshield: \(error)\n".utf8))
        throw ExitCode(1)
    }
    print(TabularText.render(columns: result.columns, rows: result.rows, format: format, maxWidth: maxWidth), terminator: "")
}

/// Renders rows as an aligned table, RFC 4180 CSV, or a JSON array of objects (columns in order).
enum TabularText {
    /// `maxWidth` (table format only) shrinks the last column so every line fits that many characters.
    static func render(columns: [String], rows: [[SQLValue]], format: OutputFormat, maxWidth: Int? = nil) -> String {
        switch format {
        case .json:
            let objects = rows.map { row in
                "  {" + zip(columns, row).map { "\"\($0)\": \(json($1))" }.joined(separator: ", ") + "}"
            }
            return objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n"
        case .csv:
            let lines = [columns.map(csvField)] + rows.map { $0.map { csvField(plain($0)) } }
            return lines.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .table:
            let cells = [columns] + rows.map { $0.map(plain) }
            var widths = columns.map(\.count)
            for r in cells { for (i, c) in r.enumerated() { widths[i] = max(widths[i], min(c.count, 60)) } }
            if let maxWidth, widths.count > 1 {
                let others = widths.dropLast().reduce(0, +) + 2 * (widths.count - 1)
                widths[widths.count - 1] = max(8, min(widths[widths.count - 1], maxWidth - others))
            }
            func line(_ r: [String]) -> String {
                zip(r, widths).map { c, w in
                    let cut = c.count > w ? String(c.prefix(w - 1)) + "…" : c
                    return cut.padding(toLength: w, withPad: " ", startingAt: 0)
                }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            }
            var out = [line(cells[0]), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
            out += cells.dropFirst().map(line)
            if rows.isEmpty { out.append("(no rows)") }
            return out.joined(separator: "\n") + "\n"
        }
    }

    static func plain(_ v: SQLValue) -> String {
        switch v {
        case .null: return ""
        case .integer(let i): return String(i)
        case .real(let d): return number(d)
        case .text(let s): return s
        case .blob(let n): return "<\(n) bytes>"
        }
    }

    static func json(_ v: SQLValue) -> String {
        switch v {
        case .null: return "null"
        case .integer(let i): return String(i)
        case .real(let d): return d.isFinite ? number(d) : "null"
        case .text(let s): return JSONText.quoted(s)
        case .blob(let n): return JSONText.quoted("<\(n) bytes>")
        }
    }

    /// Shortest text that reads back as the same double.
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
