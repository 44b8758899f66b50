import Foundation
import GRDB
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Store

@Suite("Store")
struct StoreTests {
    @Test("embedded schemas are exactly the files in schemas/")
    func embeddedSchemasMatchFiles() throws {
        let dir = TestPaths.packageRoot.appendingPathComponent("schemas")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.map { "schemas/\($0)" } == EmbeddedSchemas.files.map(\.path).sorted(),
                "run scripts/embed-resources")
        for f in EmbeddedSchemas.files {
            let onDisk = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent(f.path), encoding: .utf8)
            #expect(onDisk == f.text + "\n", "\(f.path) differs from its embedded copy: run scripts/embed-resources")
        }
    }

    @Test("migrated schema matches the golden file")
    func schemaGolden() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        let outcome = try Golden.check(try db.schemaSQL(), name: "schema.sql")
        #expect(outcome == .matches, "schema golden: \(outcome)")
    }

    @Test("every foreign key's child columns lead some index, and the nightly closed-positions read uses one")
    func foreignKeysAreIndexed() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        try db.read { db in
            var checked = 0
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                // Leading columns of every index of the table, the primary key's included.
                var leads: [[String]] = []
                for index in try Row.fetchAll(db, sql: "SELECT name FROM pragma_index_list(?)", arguments: [table]) {
                    leads.append(try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [index["name"] as String]))
                }
                let pk = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", arguments: [table])
                leads.append(pk)
                let keys = Dictionary(grouping: try Row.fetchAll(db, sql: "SELECT id, seq, \"from\" FROM pragma_foreign_key_list(?) ORDER BY id, seq",
                                                                   arguments: [table]), by: { $0["id"] as Int })
                for (_, columns) in keys {
                    let child = columns.map { $0["from"] as String }
                    // A delete of a parent row looks its children up by these columns: without an index that is a
                    // scan of the whole child table per parent row.
                    #expect(leads.contains { Set($0.prefix(child.count)) == Set(child) }, "\(table)(\(child.joined(separator: ", "))) has no index")
                    checked += 1
                }
            }
            #expect(checked >= 4)
            let detail = try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT DISTINCT opened_as_of || '|' || profile || '|' || rank FROM position_advice
                WHERE underlying = 'SPX' AND as_of < '2027-01-04' AND action = 'close'
                """).map { $0["detail"] as String }.joined(separator: "; ")
            #expect(detail.contains("position_advice_closes"), "\(detail)")
        }
    }

    @Test("a file database uses WAL, and reopening applies no migration twice")
    func walAndReopen() throws {
        let dir = try TestPaths.temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("nested/v.sqlite").path
        let first = try VixShieldDatabase(path: path)
        #expect(try first.journalMode() == "wal")
        let applied = try first.appliedMigrations()
        #expect(applied == EmbeddedSchemas.files.map { URL(fileURLWithPath: $0.path).deletingPathExtension().lastPathComponent }.sorted())
        let second = try VixShieldDatabase(path: path)
        #expect(try second.appliedMigrations() == applied)
    }

    /// The SQLite extended result code of a failed write, so a test can demand the specific constraint.
    func constraintCode(_ body: () throws -> Void) -> ResultCode? {
        do { try body() } catch let e as DatabaseError { return e.extendedResultCode } catch { return nil }
        return nil
    }

    @Test("the recommendations table enforces its contract")
    func recommendationConstraints() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        let day = CalendarDate(iso: "2026-07-17")!
        var good = RecommendationRecord(asOf: "2026-07-17", forDate: "2026-07-20", underlying: "SPX", profile: "p", rank: 1,
                                        status: "trade", reason: nil, rationale: "r", runId: 1)
        good.expiry = "2026-08-21"; good.longPut = 6000; good.shortPut = 6100; good.shortCall = 6500; good.longCall = 6600
        good.credit = 20; good.maxLoss = 80; good.contracts = 2
        good.creditUsd = 4000; good.maxLossUsd = 16000
        try db.transaction { tx in try tx.replaceRecommendations(asOf: day, underlying: "SPX", rows: [good], hedges: []) }

        func write(_ row: RecommendationRecord) -> ResultCode? {
            constraintCode { try db.transaction { tx in try tx.replaceRecommendations(asOf: day, underlying: "SPX", rows: [row], hedges: []) } }
        }
        var inverted = good
        inverted.shortPut = 6700  // short put above the short call: not a condor
        #expect(write(inverted) == .SQLITE_CONSTRAINT_CHECK)
        var negativeDollars = good
        negativeDollars.maxLossUsd = -1
        #expect(write(negativeDollars) == .SQLITE_CONSTRAINT_CHECK)
        var noReason = RecommendationRecord(asOf: "2026-07-17", forDate: "2026-07-20", underlying: "SPX", profile: "p", rank: 1,
                                            status: "no_trade", reason: nil, rationale: "r", runId: 1)
        #expect(write(noReason) == .SQLITE_CONSTRAINT_CHECK)
        noReason.status = "maybe"
        noReason.reason = "x"
        #expect(write(noReason) == .SQLITE_CONSTRAINT_CHECK)
        var twice = good
        twice.profile = "q"
        #expect(constraintCode { try db.transaction { tx in
            try tx.replaceRecommendations(asOf: day, underlying: "SPX", rows: [twice, twice], hedges: [])
        } } == .SQLITE_CONSTRAINT_PRIMARYKEY)
        // The failed transactions left the good row alone.
        #expect(try db.recommendations(from: day, through: day) == [good])
    }

    @Test("a hedge layer must protect a stored condor, and goes when its condor is replaced")
    func hedgeKeyedToCondor() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        let day = CalendarDate(iso: "2026-07-17")!
        var condor = RecommendationRecord(asOf: "2026-07-17", forDate: "2026-07-20", underlying: "SPX", profile: "p", rank: 1,
                                          status: "trade", reason: nil, rationale: "r", runId: 1)
        condor.expiry = "2026-08-21"; condor.longPut = 6000; condor.shortPut = 6100; condor.shortCall = 6500; condor.longCall = 6600
        condor.credit = 20; condor.maxLoss = 80; condor.contracts = 2
        let layer = HedgeRecommendationRecord(asOf: "2026-07-17", forDate: "2026-07-20", underlying: "SPX", profile: "p", rank: 1,
                                              layer: 0, active: true, instrument: "VX", contract: "VX/Q6", side: "buy", quantity: 1,
                                              vegaOffset: 1000, trigger: "base", rationale: "base layer", runId: 1)
        var orphan = layer
        orphan.profile = "other"
        #expect(constraintCode { try db.transaction { tx in
            try tx.replaceRecommendations(asOf: day, underlying: "SPX", rows: [condor], hedges: [orphan])
        } } == .SQLITE_CONSTRAINT_FOREIGNKEY)
        try db.transaction { tx in try tx.replaceRecommendations(asOf: day, underlying: "SPX", rows: [condor], hedges: [layer]) }
        #expect(try db.hedgeRecommendations(from: day, through: day) == [layer])
        try db.transaction { tx in try tx.replaceRecommendations(asOf: day, underlying: "SPX", rows: [condor], hedges: []) }
        #expect(try db.hedgeRecommendations(from: day, through: day).isEmpty)
    }

    @Test("migration 003 keeps a 002 database's rows and allows interrupted runs")
    func upgradeFrom002() throws {
        let dir = try TestPaths.temporaryDirectory("upgrade")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        // Build a database as 002 left it, then open it with this binary.
        var sql = ""
        for f in EmbeddedSchemas.files.sorted(by: { $0.path < $1.path }) where f.path.hasPrefix("schemas/001") || f.path.hasPrefix("schemas/002") {
            sql += f.text + "\n"
        }
        sql += """
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('001_initial'), ('002_surface');
            INSERT INTO runs (command, version, started_at, status) VALUES ('run', '0', '2026-07-17T22:00:00Z', 'ok');
            INSERT INTO run_diagnostics VALUES (1, 1, '2026-07-17', 'ingest', 'warning', 'x', 'slow');
            INSERT INTO chain_snapshots VALUES ('2026-07-17', 'SPX', 'eod', '2026-07-18 03:56:30', 6300, 1, 0, 1, NULL);
            INSERT INTO chain_snapshots VALUES ('2026-01-16', 'SPX', 'eod', '2026-01-17 03:56:30', 6300, 1, 0, 1, NULL);
            """
        try SQLiteProbe.execute(path, sql)
        let db = try VixShieldDatabase(path: path)
        #expect(try db.appliedMigrations() == VixShieldDatabase.migrationIdentifiers)
        #expect(try db.runs().map(\.command) == ["run"])
        #expect(try db.diagnostics(runId: 1).map(\.message) == ["slow"])
        // Summer time is UTC-4, winter UTC-5.
        #expect(try db.chainSnapshots(asOf: day("2026-07-17"), underlying: "SPX").map(\.capturedAt) == ["2026-07-18T03:56:30-04:00"])
        #expect(try db.chainSnapshots(asOf: day("2026-01-16"), underlying: "SPX").map(\.capturedAt) == ["2026-01-17T03:56:30-05:00"])
        try db.finishRun(id: 1, status: .interrupted, finishedAt: "2026-07-17T22:01:00Z", countsJSON: nil, error: "interrupted",
                         diagnostics: [])
        #expect(try db.runs().first?.status == "interrupted")
    }

    func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    @Test("a read-only open never creates, migrates or changes the file, and refuses an old schema")
    func readOnlyOpen() throws {
        let dir = try TestPaths.temporaryDirectory("readonly")
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("none.sqlite").path
        #expect(throws: VixShieldDatabase.OpenError.missing(missing)) { try VixShieldDatabase(path: missing, readOnly: true) }
        #expect(!FileManager.default.fileExists(atPath: missing))

        let old = dir.appendingPathComponent("old.sqlite").path
        try SQLiteProbe.execute(old, EmbeddedSchemas.files.sorted(by: { $0.path < $1.path })[0].text + """
            ;CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('001_initial');
            """)
        let before = try Data(contentsOf: URL(fileURLWithPath: old))
        #expect {
            try VixShieldDatabase(path: old, readOnly: true)
        } throws: { error in
            "\(error)".hasSuffix("schema at 001_initial, this vixshield expects \(VixShieldDatabase.migrationIdentifiers.last!): run `vixshield migrate`")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: old)) == before)

        let current = dir.appendingPathComponent("current.sqlite").path
        _ = try VixShieldDatabase(path: current)
        let reader = try VixShieldDatabase(path: current, readOnly: true)
        #expect(try reader.report(.runs(limit: 5)).rows.isEmpty)
    }

    @Test("replacing a partition twice leaves one copy")
    func partitionReplaceIsIdempotent() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        let snapshot = ChainSnapshotRecord(asOf: "2026-07-17", underlying: "SPX", quoteSet: "eod", capturedAt: "x", spot: 6300,
                                           quoteCount: 1, flaggedCount: 0, gatePassed: true, gateReason: nil)
        let quote = OptionQuoteRecord(asOf: "2026-07-17", underlying: "SPX", quoteSet: "eod", seq: 1, symbol: "SPXW260821C06300000",
                                      root: "SPXW", expiry: "2026-08-21", settlement: "pm", optionType: "C", strike: 6300,
                                      strikeMilli: 6_300_000, bid: 10, ask: 11, bidSize: 1, askSize: 1, last: nil, volume: 0,
                                      openInterest: 5, vendorIv: 0.15, vendorDelta: 0.5, flags: 0, flagNames: "")
        for _ in 0..<2 { try db.transaction { tx in try tx.replaceChain(snapshot, quotes: [quote]) } }
        #expect(try db.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM option_quotes") } == 1)
        let stored = try db.optionQuotes(asOf: CalendarDate(iso: "2026-07-17")!, underlying: "SPX")
        #expect(stored == [quote])
        #expect(try db.tableCounts()["chain_snapshots"] == 1)
    }

    @Test("surface columns land the same whether the chain is replaced in the same transaction (one insert) or earlier (an update)")
    func surfaceColumnsSameOnBothPaths() throws {
        let date = CalendarDate(iso: "2026-07-17")!
        let snapshot = ChainSnapshotRecord(asOf: "2026-07-17", underlying: "SPX", quoteSet: "eod", capturedAt: "x", spot: 6300,
                                           quoteCount: 2, flaggedCount: 0, gatePassed: true, gateReason: nil)
        func quote(_ seq: Int, _ symbol: String, strike: Double) -> OptionQuoteRecord {
            OptionQuoteRecord(asOf: "2026-07-17", underlying: "SPX", quoteSet: "eod", seq: seq, symbol: symbol, root: "SPXW",
                              expiry: "2026-08-21", settlement: "pm", optionType: "C", strike: strike, strikeMilli: Int(strike * 1000),
                              bid: 10, ask: 11, bidSize: 1, askSize: 1, last: nil, volume: 0, openInterest: 5, vendorIv: nil,
                              vendorDelta: nil, flags: 0, flagNames: "")
        }
        let quotes = [quote(1, "SPXW260821C06300000", strike: 6300), quote(2, "SPXW260821C06400000", strike: 6400)]
        let slice = SurfaceSliceRecord(asOf: "2026-07-17", underlying: "SPX", expiry: "2026-08-21", settlement: "pm", roots: "SPXW",
                                       expiryTime: "2026-08-21T16:00:00-04:00", minutesToExpiry: 50_000, yearsToExpiry: 0.1,
                                       forward: 6310, discount: 0.999, forwardMethod: "parity_regression")
        let summary = SurfaceSummaryRecord(asOf: "2026-07-17", underlying: "SPX", valuationTime: "2026-07-17T16:00:00-04:00", spot: 6300,
                                           index30d: 15, index9d: 14, expiries: 1, fittedExpiries: 1, calendarViolations: 0)
        // The first symbol gets an IV, greeks and a screen flag; the second has no result and keeps NULLs.
        let results = [OptionSurfaceResult(symbol: "SPXW260821C06300000", iv: 0.15, ivIssue: nil, surfaceIv: 0.151, delta: 0.5,
                                           gamma: 0.001, vegaPerVolPoint: 7.5, thetaPerDay: -1.2, flags: 64, flagNames: "arbitrage_screen")]
        func surface(_ tx: StoreTransaction) throws {
            try tx.replaceSurface(asOf: date, underlying: "SPX", quoteSet: "eod", slices: [slice], summary: summary, options: results)
        }
        let together = try VixShieldDatabase(path: ":memory:")
        try together.transaction { tx in
            try tx.replaceChain(snapshot, quotes: quotes)
            try surface(tx)
        }
        let apart = try VixShieldDatabase(path: ":memory:")
        try apart.transaction { tx in try tx.replaceChain(snapshot, quotes: quotes) }
        try apart.transaction { tx in try surface(tx) }
        func rows(_ db: VixShieldDatabase) throws -> [[DatabaseValue]] {
            try db.read { db in try Row.fetchAll(db, sql: "SELECT * FROM option_quotes ORDER BY seq").map { Array($0.databaseValues) } }
        }
        let stored = try rows(together)
        #expect(stored == (try rows(apart)))
        let first = try together.optionQuotes(asOf: date, underlying: "SPX")
        #expect(first.map(\.flags) == [64, 0] && first.map(\.flagNames) == ["arbitrage_screen", ""])
        let ivs = try together.read { db in try Double?.fetchAll(db, sql: "SELECT iv FROM option_quotes ORDER BY seq") }
        #expect(ivs == [0.15, nil])
    }

    @Test("the archive stores identical bytes once and returns the newest payload")
    func archiveDeduplicates() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        func payload(_ sha: String, _ at: String) -> RawPayloadRecord {
            RawPayloadRecord(source: "s", kind: "k", url: "file:///x", asOf: "2026-07-17", fetchedAt: at, httpStatus: 200,
                             byteCount: 3, sha256: String(repeating: sha, count: 64), compression: "zstd", body: Data([1, 2, 3]), runId: nil)
        }
        let intact: (Data, String) -> Bool = { _, _ in true }
        #expect(try db.archive(payload("a", "2026-07-17T22:00:00Z"), isIntact: intact).inserted)
        #expect(try !db.archive(payload("a", "2026-07-17T23:00:00Z"), isIntact: intact).inserted)
        #expect(try db.archive(payload("b", "2026-07-18T01:00:00Z"), isIntact: intact).inserted)
        #expect(try db.payloads(source: "s", asOf: day("2026-07-17")).first?.sha256.first == "b")
        #expect(try db.payloads(source: "s", asOf: day("2026-07-16")).isEmpty)
        #expect(throws: (any Error).self) { try db.archive(payload("c", "t").with { $0.sha256 = "short" }, isIntact: intact) }
    }

    @Test("the same bytes on many dates are stored once; stored bytes that no longer match are mended by the next fetch")
    func archiveSharesBodiesAcrossDates() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        let sha = String(repeating: "d", count: 64)
        func payload(_ asOf: String, _ body: [UInt8]) -> RawPayloadRecord {
            RawPayloadRecord(source: "h", kind: "k", url: "file:///h", asOf: asOf, fetchedAt: asOf + "T22:00:00Z", httpStatus: 200,
                             byteCount: 3, sha256: sha, compression: "zstd", body: Data(body), runId: nil)
        }
        let good = Data([7, 7, 7])
        let isGood: (Data, String) -> Bool = { body, _ in body == good }
        for d in ["2026-07-15", "2026-07-16", "2026-07-17"] {
            #expect(try db.archive(payload(d, [7, 7, 7]), isIntact: isGood).inserted)
        }
        let counts = try db.read { db in
            try ["payload_bodies", "raw_payloads", "raw_payloads WHERE length(body) = 0"].map {
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1
            }
        }
        #expect(counts == [1, 3, 3])
        #expect(try db.payloads(source: "h", asOf: day("2026-07-16")).map(\.body) == [good])

        // Bit rot in the shared bytes shows on every date; the next fetch of the same payload mends them all.
        try db.write { db in try db.execute(sql: "UPDATE payload_bodies SET body = X'0102'") }
        #expect(try db.payloads(source: "h", asOf: day("2026-07-15")).map(\.body) == [Data([1, 2])])
        #expect(try !db.archive(payload("2026-07-16", [7, 7, 7]), isIntact: isGood).inserted)
        for d in ["2026-07-15", "2026-07-16", "2026-07-17"] {
            #expect(try db.payloads(source: "h", asOf: day(d)).map(\.body) == [good], "\(d)")
        }

        // A row archived before migration 011 keeps its bytes inline and reads the same way.
        try db.write { db in
            try db.execute(sql: """
                INSERT INTO raw_payloads (source, kind, url, as_of, fetched_at, http_status, byte_count, sha256, compression, body)
                VALUES ('h', 'k', 'file:///h', '2026-07-14', '2026-07-14T22:00:00Z', 200, 3, ?, 'gzip', X'090909')
                """, arguments: [String(repeating: "e", count: 64)])
        }
        #expect(try db.payloads(source: "h", asOf: day("2026-07-14")).map(\.body) == [Data([9, 9, 9])])

        // The schema keeps references whole: no empty body without shared bytes, no shared bytes deleted while used.
        #expect(throws: (any Error).self) {
            try db.write { db in
                try db.execute(sql: """
                    INSERT INTO raw_payloads (source, kind, url, as_of, fetched_at, http_status, byte_count, sha256, compression, body)
                    VALUES ('h', 'k', 'file:///h', '2026-07-13', 't', 200, 3, ?, 'gzip', X'')
                    """, arguments: [String(repeating: "f", count: 64)])
            }
        }
        #expect(throws: (any Error).self) { try db.write { db in try db.execute(sql: "DELETE FROM payload_bodies") } }
    }

    @Test("migration 011 keeps an older archive's inline bytes and every parity row, NULL strike_high shown as before")
    func migrationTo011() throws {
        let dir = try TestPaths.temporaryDirectory("migration-011")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        // The database as the previous release left it: every migration up to 010.
        let old = try DatabaseQueue(path: path, configuration: SQLiteProbe.configuration(readonly: false))
        try VixShieldDatabase.migrator().migrate(old, upTo: "010_quote_storage")
        try old.close()
        let sha = String(repeating: "a", count: 64)
        try SQLiteProbe.execute(path, """
            INSERT INTO raw_payloads (source, kind, url, as_of, fetched_at, http_status, byte_count, sha256, compression, body)
            VALUES ('h', 'k', 'file:///h', '2026-07-16', '2026-07-16T22:00:00Z', 200, 3, '\(sha)', 'gzip', X'010203');
            INSERT INTO parity_signals VALUES ('2026-07-16', 'SPX', '2026-08-21', 'SPXW', 'conversion', 5810, NULL, 0.0083, 'old detail');
            INSERT INTO parity_signals VALUES ('2026-07-16', 'SPX', '2026-08-21', 'SPXW', 'long_box', 5800, 5900, 0.43, '');
            """)

        let db = try VixShieldDatabase(path: path)
        #expect(try db.appliedMigrations() == VixShieldDatabase.migrationIdentifiers)
        #expect(try db.payloads(source: "h", asOf: day("2026-07-16")).map(\.body) == [Data([1, 2, 3])])
        let parity = try db.report(.parity(.init()))
        // In the listing's order (kind, then strike): the conversion, whose NULL became its own strike, shown NULL.
        #expect(parity.rows.map { Array($0[5...6]) } == [[.real(5810), .null], [.real(5800), .real(5900)]], "\(parity.rows)")
        #expect(parity.rows.map { $0.last } == [.text("old detail"), .text("")], "\(parity.rows)")
        #expect(try SQLiteProbe.count(path, "SELECT count(*) FROM parity_signals WHERE strike_high = strike_low") == 1)
        // The same payload fetched again for another date shares new bytes; the old row keeps its own.
        let again = RawPayloadRecord(source: "h", kind: "k", url: "file:///h", asOf: "2026-07-17", fetchedAt: "t", httpStatus: 200,
                                     byteCount: 3, sha256: sha, compression: "gzip", body: Data([1, 2, 3]), runId: nil)
        #expect(try db.archive(again, isIntact: { _, _ in true }).inserted)
        #expect(try db.payloads(source: "h", asOf: day("2026-07-17")).map(\.body) == [Data([1, 2, 3])])
    }

    @Test("migration 013 admits zstd in place: gzip rows are kept and read as before, other codecs are refused")
    func migrationTo013() throws {
        let dir = try TestPaths.temporaryDirectory("migration-013")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        let old = try DatabaseQueue(path: path, configuration: SQLiteProbe.configuration(readonly: false))
        try VixShieldDatabase.migrator().migrate(old, upTo: "012_book_indexes")
        try old.close()
        let inline = String(repeating: "a", count: 64), shared = String(repeating: "b", count: 64)
        try SQLiteProbe.execute(path, """
            INSERT INTO raw_payloads (source, kind, url, as_of, fetched_at, http_status, byte_count, sha256, compression, body)
            VALUES ('h', 'k', 'file:///h', '2026-07-15', '2026-07-15T22:00:00Z', 200, 3, '\(inline)', 'gzip', X'010203');
            INSERT INTO payload_bodies (sha256, compression, body) VALUES ('\(shared)', 'gzip', X'040506');
            INSERT INTO raw_payloads (source, kind, url, as_of, fetched_at, http_status, byte_count, sha256, compression, body)
            VALUES ('h', 'k', 'file:///h', '2026-07-16', '2026-07-16T22:00:00Z', 200, 3, '\(shared)', 'gzip', X'');
            """)
        let cookieBefore = try SQLiteProbe.count(path, "PRAGMA schema_version")

        let db = try VixShieldDatabase(path: path)
        #expect(try db.appliedMigrations() == VixShieldDatabase.migrationIdentifiers)
        #expect(try SQLiteProbe.count(path, "PRAGMA schema_version") > cookieBefore, "other connections must reparse the schema")
        #expect(try SQLiteProbe.rows(path, "PRAGMA integrity_check") == [["ok"]])
        for (date, body) in [("2026-07-15", Data([1, 2, 3])), ("2026-07-16", Data([4, 5, 6]))] {
            let rows = try db.payloads(source: "h", asOf: day(date))
            #expect(rows.map(\.body) == [body] && rows.map(\.compression) == ["gzip"], "\(date)")
        }
        func payload(_ asOf: String, sha: String, body: Data) -> RawPayloadRecord {
            RawPayloadRecord(source: "h", kind: "k", url: "file:///h", asOf: asOf, fetchedAt: asOf + "T22:00:00Z", httpStatus: 200,
                             byteCount: 3, sha256: sha, compression: "zstd", body: body, runId: nil)
        }
        // The same payload on a new date points at the intact gzip bytes and says so; new bytes go in as zstd
        // (the writing connection took the loosened CHECK at once).
        #expect(try db.archive(payload("2026-07-17", sha: shared, body: Data([9])), isIntact: { _, codec in codec == "gzip" }).inserted)
        #expect(try db.payloads(source: "h", asOf: day("2026-07-17")).map(\.compression) == ["gzip"])
        #expect(try SQLiteProbe.count(path, "SELECT count(*) FROM raw_payloads WHERE compression = 'gzip'") == 3)
        let fresh = String(repeating: "c", count: 64)
        #expect(try db.archive(payload("2026-07-17", sha: fresh, body: Data([7, 7])), isIntact: { _, _ in true }).inserted)
        #expect(try db.payloads(source: "h", asOf: day("2026-07-17")).map(\.compression).sorted() == ["gzip", "zstd"])
        // Shared gzip bytes that rotted are mended with the new codec.
        #expect(try !db.archive(payload("2026-07-16", sha: shared, body: Data([8])), isIntact: { _, _ in false }).inserted)
        #expect(try SQLiteProbe.rows(path, "SELECT compression, hex(body) FROM payload_bodies WHERE sha256 = '\(shared)'") == [["zstd", "08"]])
        #expect(try SQLiteProbe.rows(path, "SELECT DISTINCT compression FROM raw_payloads WHERE sha256 = '\(shared)'") == [["zstd"]])
        for table in ["payload_bodies (sha256, compression, body) VALUES ('\(String(repeating: "d", count: 64))', 'lz4', X'01')",
                      "raw_payloads (source, kind, url, as_of, fetched_at, http_status, byte_count, sha256, compression, body) "
                        + "VALUES ('h', 'k', 'u', '2026-07-18', 't', 200, 1, '\(fresh)', 'lz4', X'01')"] {
            #expect(throws: (any Error).self) { try SQLiteProbe.execute(path, "INSERT INTO \(table)") }
        }
    }

    @Test("one writer per database: a second lock is refused at once, and free again after release")
    func writerLock() throws {
        let dir = try TestPaths.temporaryDirectory("lock")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("v.sqlite").path
        var first: WriterLock? = try WriterLock(databasePath: path)
        #expect(throws: WriterLock.Busy(databasePath: path)) { try WriterLock(databasePath: path) }
        #expect(throws: WriterLock.Busy(databasePath: path)) { try WriterLock(databasePath: path, waitSeconds: 0.3) }
        withExtendedLifetime(first) {}
        first = nil
        _ = try WriterLock(databasePath: path)
        _ = try WriterLock(databasePath: ":memory:")
    }

    @Test("the run ledger records start, end and diagnostics")
    func ledger() throws {
        let db = try VixShieldDatabase(path: ":memory:")
        let id = try db.beginRun(RunRecord(command: "run", asOfFrom: "2026-07-17", asOfTo: "2026-07-17", pipelineName: "sample",
                                           pipelineSha256: nil, version: "0", offline: false, startedAt: "t0"))
        try db.finishRun(id: id, status: .ok, finishedAt: "t1", countsJSON: "{}", error: nil,
                         diagnostics: [("2026-07-17", "ingest", Diagnostic(.warning, "vx_curve", "slow"))],
                         stageTimings: [RunStageTimingRecord(runId: id, asOf: "2026-07-17", stage: "ingest", elapsedMs: 12.5)])
        let run = try #require(try db.runs().first)
        #expect(run.runId == id && run.status == "ok" && run.finishedAt == "t1")
        #expect(try db.diagnostics(runId: id).map(\.message) == ["slow"])
        #expect(try db.stageTimings(runId: id).map(\.elapsedMs) == [12.5])
    }
}

extension RawPayloadRecord {
    func with(_ change: (inout RawPayloadRecord) -> Void) -> RawPayloadRecord { var c = self; change(&c); return c }
}
