import Foundation
import Store
import Testing
import VixShieldCore
import VixShieldTestSupport
@testable import Pipeline

@Suite("Sharded backfill and merge")
struct ShardMergeTests {
    let days = TradingCalendar.nyse.tradingDays(from: SharedMarket.from, through: SharedMarket.to)

    @Test("shards take every N-th trading day, each date exactly once")
    func shardSelection() throws {
        let dates = Array(1...7)
        #expect(try Shard(parsing: "1/3").select(dates) == [1, 4, 7])
        #expect(try Shard(parsing: "2/3").select(dates) == [2, 5])
        #expect(try Shard(parsing: "3/3").select(dates) == [3, 6])
        #expect(try Shard(parsing: "1/1").select(dates) == dates)
        let all = try (1...4).flatMap { try Shard(index: $0, count: 4).select(dates) }.sorted()
        #expect(all == dates)
        #expect(throws: Shard.ParseError.outOfRange(index: 0, count: 2)) { try Shard(parsing: "0/2") }
        #expect(throws: Shard.ParseError.outOfRange(index: 3, count: 2)) { try Shard(parsing: "3/2") }
        #expect(throws: Shard.ParseError.malformed("2")) { try Shard(parsing: "2") }
        #expect(throws: Shard.ParseError.malformed("a/b")) { try Shard(parsing: "a/b") }
    }

    @Test("two shards merged equal one backfill row for row; merging again changes nothing")
    func twoShardsEqualOneBackfill() async throws {
        #expect(days.count == 5)
        let single = try Harness()
        let whole = try await single.run(days)
        #expect(whole.outcomes.allSatisfy { $0.status != .failed }, "\(whole.outcomes.map { "\($0.date) \($0.reason ?? "")" })")
        let expected = try single.dataFingerprint()

        var shards: [Harness] = []
        for k in 1...2 {
            let h = try Harness()
            let part = try Shard(index: k, count: 2).select(days)
            let report = try await h.run(part, phases: .perDateOnly)
            #expect(report.outcomes.map(\.date) == part && report.crossDateCount == 0)
            // A shard holds no cross-date rows: they need the whole history.
            for table in ["vol_context", "hedge_recommendations", "outcomes", "position_advice", "event_reactions"] {
                #expect(try h.dataFingerprint()[table] == [], "\(table) in shard \(k)")
            }
            shards.append(h)
        }
        let out = try Harness()
        let merged = try await out.merge(shards.map(\.dbPath))
        #expect(merged.shards.map(\.partitions) == [[days[0], days[2], days[4]], [days[1], days[3]]])
        #expect(merged.report.crossDateCount == 5 && merged.report.status == .ok)
        let actual = try out.dataFingerprint()
        #expect(Set(actual.keys) == Set(expected.keys))
        for table in expected.keys.sorted() {
            let (e, a) = (expected[table] ?? [], actual[table] ?? [])
            #expect(e == a, "\(table): \(e.count) rows in one backfill, \(a.count) merged; first difference: \(Self.firstDifference(e, a))")
        }
        #expect(expected["recommendations"]?.isEmpty == false && expected["hedge_recommendations"]?.isEmpty == false)

        // Idempotent: the same shards again (in the other order) leave every row as it was.
        _ = try await out.merge(shards.reversed().map(\.dbPath))
        #expect(try out.dataFingerprint() == actual)
        // The merged database resumes like a backfilled one: every date is complete.
        let resumed = try await out.run(days, selection: .skipCompleted)
        #expect(resumed.skipped == days && resumed.outcomes.isEmpty)
    }

    @Test("a shard of another pipeline or schema is refused with one line, before anything is written")
    func refusesMismatchedShards() async throws {
        let day = days[0]
        var other = try Harness()
        other.sha256 = "other-pipeline"
        _ = try await other.run([day], phases: .perDateOnly)
        let out = try Harness()
        let error = await #expect(throws: ShardMergeError.self) { _ = try await out.merge([other.dbPath]) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains(other.dbPath) && text.contains("pipeline sha256 other-pipeli,") && !text.contains("\n"), "\(text)")
        // Refused before the output database, or its lock file, was created.
        #expect(!FileManager.default.fileExists(atPath: out.dbPath) && !FileManager.default.fileExists(atPath: out.dbPath + ".lock"))
        #expect(try out.database().runs().isEmpty)

        let old = try Harness()
        _ = try await old.run([day], phases: .perDateOnly)
        let last = try #require(try old.database().appliedMigrations().last)
        try SQLiteProbe.execute(old.dbPath, "DELETE FROM grdb_migrations WHERE identifier = '\(last)'")
        let schemaError = await #expect(throws: ShardMergeError.self) { _ = try await out.merge([old.dbPath]) }
        #expect(schemaError.map { "\($0)" }?.contains("schema at") == true, "\(String(describing: schemaError))")
        #expect(try out.dataFingerprint()["recommendations"] == [])
    }

    static func firstDifference(_ a: [String], _ b: [String]) -> String {
        let extra = Set(a).symmetricDifference(Set(b))
        return extra.sorted().first.map { String($0.prefix(300)) } ?? "none (duplicates)"
    }
}
