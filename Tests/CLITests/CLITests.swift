import Foundation
import Testing
import VixShieldTestSupport

/// Runs the built `vixshield` binary as a user would and captures what it prints.
struct CLI {
    struct Output { var status: Int32; var stdout: String; var stderr: String }

    static let binary: URL = {
        // The test bundle sits in the build products folder next to the executable.
        let products = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        return products.appendingPathComponent("vixshield")
    }()

    /// - Parameter executable: what to start instead of the binary (e.g. `/bin/sh` to set limits first).
    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil,
                    executable: URL = binary) async throws -> Output {
        try await offPool {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            var env = ProcessInfo.processInfo.environment
            env.removeValue(forKey: "VIXSHIELD_DB")
            env.removeValue(forKey: "VIXSHIELD_DATA_DIR")
            env["COLUMNS"] = "100"
            for (k, v) in environment { env[k] = v }
            process.environment = env
            if let directory { process.currentDirectoryURL = directory }
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            // Read both pipes before waiting so a chatty child never blocks on a full pipe.
            let errData = DispatchQueue(label: "stderr-reader")
            nonisolated(unsafe) var stderrBytes = Data()
            let group = DispatchGroup()
            group.enter()
            errData.async { stderrBytes = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
            let stdoutBytes = out.fileHandleForReading.readDataToEndOfFile()
            group.wait()
            process.waitUntilExit()
            return Output(status: process.terminationStatus, stdout: String(decoding: stdoutBytes, as: UTF8.self),
                          stderr: String(decoding: stderrBytes, as: UTF8.self))
        }
    }
}

@Suite("Command line", .serialized)
struct CLITests {
    @Test("help texts match their golden files", arguments: [
        ["--help"], ["run", "--help"], ["backfill", "--help"], ["ingest", "--help"], ["simulate", "--help"], ["reconstruct", "--help"],
        ["query", "recommendations", "--help"], ["report", "--help"], ["merge", "--help"],
    ])
    func help(arguments: [String]) async throws {
        let out = try await CLI.run(arguments)
        #expect(out.status == 0)
        let name = "help-" + arguments.filter { $0 != "--help" }.joined(separator: "-") + ".txt"
        let outcome = try Golden.check(out.stdout, name: name == "help-.txt" ? "help.txt" : name)
        #expect(outcome == .matches, "\(name): \(outcome)")
    }

    @Test("a date that is not a trading day is reported and exits 0")
    func nonTradingDay() async throws {
        let dir = try TestPaths.temporaryDirectory("cli-holiday")
        let out = try await CLI.run(["run", "--date", "2026-07-03", "--data-dir", dir.path])
        #expect(out.status == 0)
        #expect(out.stdout == "2026-07-03 is not a trading day (Independence Day); nothing to do.\n")
        let weekend = try await CLI.run(["run", "--date", "2026-07-18", "--data-dir", dir.path])
        #expect(weekend.stdout == "2026-07-18 is not a trading day (weekend); nothing to do.\n")
    }

    @Test("bad arguments give one line on stderr and a non-zero exit", arguments: [
        (["run", "--date", "2026-13-01"], Int32(64), "The value '2026-13-01' is invalid for '--date <date>'"),
        (["run", "--pipeline", "/nonexistent/p.yaml"], Int32(1), "vixshield: /nonexistent/p.yaml: cannot read the pipeline file"),
        (["backfill", "--from", "2026-07-10", "--to", "2026-07-01"], Int32(64), "--from 2026-07-10 is after --to 2026-07-01"),
        (["query", "recommendations", "--db", "/nonexistent/x.sqlite"], Int32(1), "vixshield: no database at /nonexistent/x.sqlite"),
        (["query", "recommendations", "--format", "xml"], Int32(64), "xml"),
        (["backfill", "--from", "2026-07-06", "--to", "2026-07-10", "--shard", "3/2"], Int32(64), "--shard: shard 3/2: need 1 <= K <= N"),
        (["backfill", "--from", "2026-07-06", "--to", "2026-07-10", "--shard", "1of2"], Int32(64), "K/N with whole numbers"),
        (["merge", "/nonexistent/out.sqlite"], Int32(64), "Missing expected argument '<shards> ...'"),
        (["merge", "/tmp/same.sqlite", "/tmp/same.sqlite"], Int32(64), "OUT /tmp/same.sqlite is also listed as a shard"),
        (["merge", "/tmp/vixshield-cli-out-\(UUID().uuidString).sqlite", "/nonexistent/s.sqlite"], Int32(1),
         "vixshield: merge: /nonexistent/s.sqlite: no such shard database"),
        (["reconstruct", "--from", "2026-07-10", "--to", "2026-07-01", "--out", "/tmp/r"], Int32(64), "--from 2026-07-10 is after --to 2026-07-01"),
        (["reconstruct", "--from", "2026-07-06", "--to", "2026-07-10", "--out", "/tmp/r", "--size", "huge"], Int32(64), "huge"),
        (["reconstruct", "--db", "/nonexistent/h.sqlite", "--from", "2026-07-06", "--to", "2026-07-10", "--out", "/tmp/r"], Int32(1),
         "vixshield: reconstruct: /nonexistent/h.sqlite: no database at /nonexistent/h.sqlite"),
    ])
    func badArguments(arguments: [String], status: Int32, message: String) async throws {
        let out = try await CLI.run(arguments)
        #expect(out.status == status, "stderr: \(out.stderr)")
        #expect(out.stderr.contains(message), "stderr: \(out.stderr)")
        #expect(out.stdout.isEmpty)
        // A refused command creates no output database.
        for path in arguments where path.hasPrefix("/tmp/vixshield-cli-out-") {
            #expect(!FileManager.default.fileExists(atPath: path) && !FileManager.default.fileExists(atPath: path + ".lock"), "\(path)")
        }
    }

    @Test("two shards backfilled from DataShop files and merged equal one backfill; the summary ends the log")
    func shardedBackfillAndMerge() async throws {
        let dir = try TestPaths.temporaryDirectory("cli-shards")
        let market = dir.appendingPathComponent("market")
        let sim = try await CLI.run(["simulate", "--from", "2026-07-15", "--to", "2026-07-16", "--out", market.path, "--seed", "3",
                                     "--size", "compact", "--chain-format", "datashop"])
        #expect(sim.status == 0, "\(sim.stderr)")
        let common = ["--pipeline", "history-files", "--data-dir", market.path, "--from", "2026-07-15", "--to", "2026-07-16"]
        let whole = try await CLI.run(["backfill"] + common + ["--db", dir.appendingPathComponent("whole.sqlite").path])
        #expect(whole.status == 0, "\(whole.stderr)")
        // Not a terminal: one log line per date, then the summary.
        #expect(whole.stderr.contains("2026-07-15: ") && whole.stderr.contains("backfill: 2 date(s) in "), "\(whole.stderr)")
        var shards: [String] = []
        for k in 1...2 {
            let db = dir.appendingPathComponent("shard-\(k).sqlite").path
            let out = try await CLI.run(["backfill"] + common + ["--shard", "\(k)/2", "--db", db])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout.hasPrefix(k == 1 ? "2026-07-15 " : "2026-07-16 ") && out.stdout.split(separator: "\n").count == 1, "\(out.stdout)")
            #expect(out.stderr.contains("backfill (per-date stages only): 1 date(s) in "), "\(out.stderr)")
            shards.append(db)
        }
        let merged = dir.appendingPathComponent("merged.sqlite").path
        let merge = try await CLI.run(["merge", "--pipeline", "history-files", merged] + shards)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("shard-1.sqlite: 1 date(s) (2026-07-15 to 2026-07-15)")
                && merge.stdout.contains("cross-date stages over 2 completed date(s)"), "\(merge.stdout)")
        let hedges = try await CLI.run(["query", "hedges", "--format", "csv", "--db", merged])
        #expect(hedges.status == 0 && hedges.stdout.split(separator: "\n").count > 1, "\(hedges.stdout)")
        for sql in ["SELECT as_of, profile, rank, status, reason, expiry, short_put, short_call, credit, contracts FROM recommendations ORDER BY 1, 2, 3",
                    "SELECT as_of, profile, condor_as_of, layer, active, contract, quantity FROM hedge_recommendations ORDER BY 1, 2, 3, 4",
                    "SELECT as_of, vx_30d, vrp_variance FROM vol_context ORDER BY 1"] {
            let one = try SQLiteProbe.rows(dir.appendingPathComponent("whole.sqlite").path, sql)
            let other = try SQLiteProbe.rows(merged, sql)
            #expect(!one.isEmpty && one == other, "\(sql)")
        }
    }

    @Test("simulate, run, then query the recommendations as JSON and CSV")
    func simulateRunQuery() async throws {
        let dir = try TestPaths.temporaryDirectory("cli-e2e")
        let market = dir.appendingPathComponent("market")
        let sim = try await CLI.run(["simulate", "--from", "2026-07-15", "--to", "2026-07-16", "--out", market.path, "--seed", "3", "--size", "compact"])
        #expect(sim.status == 0, "\(sim.stderr)")
        let pipeline = dir.appendingPathComponent("p.yaml")
        try """
            name: cli
            sources:
              - name: spx_chain
                kind: cboe_options_json
                url: "file://\(market.path)/cboe/options/_SPX_{date}.json"
            strategy: {capital_usd: 2000000, max_risk_fraction: 0.05}
            """.write(to: pipeline, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("v.sqlite").path
        let run = try await CLI.run(["run", "--date", "2026-07-16", "--pipeline", pipeline.path, "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("2026-07-16 ok (run 1)"), "\(run.stdout)")
        let json = try await CLI.run(["query", "recommendations", "--date", "2026-07-16", "--format", "json", "--db", db])
        #expect(json.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count >= 1)
        #expect(rows.first?["status"] as? String == "trade")
        #expect(rows.first?["for_date"] as? String == "2026-07-17")
        let csv = try await CLI.run(["query", "recommendations", "--format", "csv", "--db", db])
        #expect(csv.stdout.hasPrefix("as_of,for_date,underlying,profile,rank,status,reason,expiry,dte,long_put,"))
        #expect(csv.stdout.split(separator: "\n").count == rows.count + 1)
        let surface = try await CLI.run(["query", "surface", "--date", "2026-07-16", "--format", "csv", "--db", db])
        #expect(surface.status == 0)
        #expect(surface.stdout.hasPrefix("as_of,underlying,expiry,settlement,roots,minutes_to_expiry,forward,"))
        #expect(surface.stdout.split(separator: "\n").count > 5, "\(surface.stdout)")
        // The signal listings name the columns users query by, whether or not rows exist.
        let indicators = try await CLI.run(["query", "indicators", "--symbol", "SPX", "--format", "csv", "--db", db])
        #expect(indicators.status == 0 && indicators.stdout.hasPrefix("date,symbol,close,rsi_14,rsi_band_low,rsi_band_high,macd_line,macd_signal,macd_histogram,"))
        #expect(indicators.stdout.contains("rv_cc_21") && indicators.stdout.contains("rv_yz_21") && indicators.stdout.contains("ad_line,ad_divergence"))
        for listing in ["context", "events", "projections", "scenarios", "positions", "parity", "performance"] {
            let out = try await CLI.run(["query", listing, "--format", "csv", "--db", db])
            #expect(out.status == 0 && !out.stdout.isEmpty, "query \(listing): \(out.stderr)")
        }
        let runs = try await CLI.run(["query", "runs", "--format", "csv", "--db", db])
        #expect(runs.stdout.contains(",run,2026-07-16,2026-07-16,cli,"), "\(runs.stdout)")

        // The report: without a date, the newest stored one; the files it wrote are listed on stdout.
        let reportDir = dir.appendingPathComponent("report")
        let report = try await CLI.run(["report", "--out", reportDir.path, "--db", db])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.split(separator: "\n").map { String($0.split(separator: "/").last ?? "") }
                == ["report-2026-07-16.html", "performance.html", "index.html"], "\(report.stdout)")
        let page = try await offPool { ChartDOM(html: try String(contentsOf: reportDir.appendingPathComponent("report-2026-07-16.html"), encoding: .utf8)) }
        #expect(!page.charts(kind: "smile").isEmpty && page.chart(id: "term-structure") != nil, "\(page.charts.map(\.id))")
        #expect(page.charts.flatMap(\.problems).isEmpty, "\(page.charts.flatMap(\.problems))")
        let nothing = try await CLI.run(["report", "--date", "2026-07-15", "--out", reportDir.path, "--db", db])
        #expect(nothing.status == 1 && nothing.stderr.contains("nothing is stored for 2026-07-15"), "\(nothing.stderr)")
        let halfRange = try await CLI.run(["report", "--from", "2026-07-15", "--out", reportDir.path, "--db", db])
        #expect(halfRange.status == 64 && halfRange.stderr.contains("--from and --to go together"), "\(halfRange.stderr)")

        // The default listing is a ticket that fits a 120-column terminal; --wide shows every column.
        let bytesBefore = try Data(contentsOf: URL(fileURLWithPath: db))
        let ticket = try await CLI.run(["query", "recommendations", "--db", db])
        #expect(ticket.status == 0)
        let lines = ticket.stdout.split(separator: "\n")
        #expect(lines.count >= 3 && lines.allSatisfy { $0.count <= 120 }, "\(ticket.stdout)")
        #expect(lines[0].hasPrefix("as_of") && lines[0].contains("strikes") && lines[2].contains("SPX"), "\(ticket.stdout)")
        let wide = try await CLI.run(["query", "recommendations", "--wide", "--db", db])
        #expect(wide.stdout.split(separator: "\n")[0].contains("long_call_symbol"))
        // Queries are read-only: the database file is byte-for-byte unchanged.
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == bytesBefore)

        // Stale and missing required inputs exit alike (3), and a second run of the same date is a rerun.
        let missing = dir.appendingPathComponent("missing.yaml")
        try """
            name: cli-missing
            sources:
              - name: spx_chain
                kind: cboe_options_json
                url: "file://\(market.path)/cboe/options/_SPX_{date}.json"
              - name: vx_curve
                kind: cfe_vx_curve
                url: "file://\(market.path)/cfe/nowhere/{date}.csv"
            """.write(to: missing, atomically: true, encoding: .utf8)
        let outage = try await CLI.run(["run", "--date", "2026-07-16", "--pipeline", missing.path, "--db", db])
        #expect(outage.status == 3, "\(outage.stderr)")
        #expect(outage.stderr.contains("missing input: source vx_curve"), "\(outage.stderr)")

        // Without --date the nightly run decides in New York time, whatever the machine's zone: before the
        // close it says so and exits 4; on a weekend it exits 0; after the close it runs today.
        let early = try await CLI.run(["run", "--pipeline", pipeline.path, "--db", db], environment: ["VIXSHIELD_NOW": "2026-07-16T18:30:00Z", "TZ": "UTC"])
        #expect(early.status == 4, "\(early.stderr)")
        #expect(early.stderr.contains("before 2026-07-16's session is complete") && early.stderr.contains("--date 2026-07-15"), "\(early.stderr)")
        let weekend = try await CLI.run(["run", "--pipeline", pipeline.path, "--db", db], environment: ["VIXSHIELD_NOW": "2026-07-18T22:30:00Z"])
        #expect(weekend.status == 0 && weekend.stdout.contains("2026-07-18 is not a trading day (weekend)"), "\(weekend.stdout)")
        let evening = try await CLI.run(["run", "--pipeline", pipeline.path, "--db", db], environment: ["VIXSHIELD_NOW": "2026-07-16T22:30:00Z"])
        #expect(evening.status == 0 && evening.stdout.hasPrefix("2026-07-16 ok"), "\(evening.stderr)")

        // A second writer on the same database exits at once with a clear message.
        let held = try SQLiteProbe.holdWriterLock(db)
        let busy = try await CLI.run(["run", "--date", "2026-07-16", "--pipeline", pipeline.path, "--db", db])
        #expect(busy.status == 75 && busy.stderr.contains("another vixshield process is writing"), "\(busy.stderr)")
        withExtendedLifetime(held) {}
    }

    @Test("concurrent first opens of a new database: one migrates, the others exit 75 with one line, and the schema is whole")
    func concurrentFirstOpens() async throws {
        let db = try TestPaths.temporaryDirectory("cli-race").appendingPathComponent("v.sqlite").path
        let outputs = try await withThrowingTaskGroup(of: CLI.Output.self) { group in
            for _ in 0..<6 { group.addTask { try await CLI.run(["migrate", "--db", db]) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outputs.contains { $0.status == 0 })
        for o in outputs where o.status != 0 {
            #expect(o.status == 75, "\(o.status): \(o.stderr)")
            #expect(o.stderr.hasPrefix("vixshield: ") && o.stderr.contains("another vixshield process is writing")
                    && o.stderr.split(separator: "\n").count == 1, "\(o.stderr)")
        }
        let again = try await CLI.run(["migrate", "--db", db])
        let latest = try FileManager.default.contentsOfDirectory(atPath: TestPaths.packageRoot.appendingPathComponent("schemas").path)
            .filter { $0.hasSuffix(".sql") }.sorted().last.map { String($0.dropLast(4)) }
        #expect(again.status == 0 && again.stdout == "\(db): schema at \(latest ?? "?")\n", "\(again.stdout)\(again.stderr)")
        #expect(try SQLiteProbe.rows(db, "PRAGMA integrity_check").first?.first == "ok")
    }

    @Test("a malformed VIXSHIELD_NOW is a one-line usage error, not a run")
    func badPinnedClock() async throws {
        let dir = try TestPaths.temporaryDirectory("cli-now")
        let out = try await CLI.run(["run", "--pipeline", "cboe", "--db", dir.appendingPathComponent("v.sqlite").path],
                                    environment: ["VIXSHIELD_NOW": "yesterday"])
        #expect(out.status == 64 && out.stderr == "vixshield: VIXSHIELD_NOW: not an ISO-8601 instant with offset: 'yesterday'\n", "\(out.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("v.sqlite").path))
    }

    @Test("SIGTERM during a backfill lets the date in flight land, closes the run as interrupted and exits 143")
    func sigtermDuringBackfill() async throws {
        let dir = try TestPaths.temporaryDirectory("cli-sigterm")
        let market = dir.appendingPathComponent("market")
        let sim = try await CLI.run(["simulate", "--from", "2026-07-06", "--to", "2026-07-17", "--out", market.path, "--seed", "5", "--size", "compact"])
        #expect(sim.status == 0, "\(sim.stderr)")
        let pipeline = dir.appendingPathComponent("p.yaml")
        try """
            name: cli-term
            sources:
              - name: spx_chain
                kind: cboe_options_json
                url: "file://\(market.path)/cboe/options/_SPX_{date}.json"
            """.write(to: pipeline, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("v.sqlite").path
        let out = try await offPool { () throws -> CLI.Output in
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["backfill", "--from", "2026-07-06", "--to", "2026-07-17", "--jobs", "1", "--pipeline", pipeline.path, "--db", db]
            let err = Pipe(), stdout = Pipe()
            process.standardError = err
            process.standardOutput = stdout
            try process.run()
            // Wait for the first finished date on stderr, then ask the run to stop.
            var seen = Data()
            while !String(decoding: seen, as: UTF8.self).contains("trade row(s)") {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
            }
            process.terminate()
            seen.append(err.fileHandleForReading.readDataToEndOfFile())
            let printed = stdout.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return CLI.Output(status: process.terminationStatus, stdout: String(decoding: printed, as: UTF8.self),
                              stderr: String(decoding: seen, as: UTF8.self))
        }
        #expect(out.status == 143, "\(out.stderr)")
        #expect(out.stderr.contains("vixshield: interrupted: "), "\(out.stderr)")
        let runs = try SQLiteProbe.rows(db, "SELECT status, finished_at FROM runs")
        #expect(runs.count == 1 && runs[0][0] == "interrupted" && runs[0][1] != nil, "\(runs)")
        let done = try SQLiteProbe.count(db, "SELECT COUNT(*) FROM date_completions")
        #expect(done >= 1 && done < 10, "completed dates: \(done)")
        // Every completed date has its recommendations; no date is half-written.
        #expect(try SQLiteProbe.count(db, "SELECT COUNT(DISTINCT as_of) FROM recommendations") == done)
        let resumed = try await CLI.run(["backfill", "--from", "2026-07-06", "--to", "2026-07-17", "--pipeline", pipeline.path, "--db", db])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("\(done) date(s) already complete, skipped"), "\(resumed.stdout)")
        #expect(try SQLiteProbe.count(db, "SELECT COUNT(*) FROM date_completions") == 10)
        // --force reruns every date, completed or not.
        let forced = try await CLI.run(["backfill", "--from", "2026-07-06", "--to", "2026-07-17", "--force", "--pipeline", pipeline.path, "--db", db])
        #expect(forced.status == 0 && !forced.stdout.contains("skipped"), "\(forced.stdout)")
        #expect(forced.stdout.split(separator: "\n").filter { $0.contains(" ok (run ") || $0.contains(" no_trade (run ") }.count == 10, "\(forced.stdout)")
    }
}
