import Testing
import VixShieldCore
@testable import Pipeline

@Suite("Progress line and summary")
struct ProgressMeterTests {
    @Test("rate, ETA, bar and failures from hand-worked figures")
    func lineFigures() {
        var m = ProgressMeter(total: 40)
        #expect(m.line(elapsedSeconds: 0) == "[--------------------]  0/40 dates  -/min  ETA --")
        #expect(m.datesPerMinute(elapsedSeconds: 10) == nil && m.etaSeconds(elapsedSeconds: 10) == nil)
        for _ in 0..<9 { m.record(.ok) }
        m.record(.failed)
        // 10 dates in 150 s: 4 dates/min; 30 left take 7.5 min.
        #expect(m.datesPerMinute(elapsedSeconds: 150) == 4)
        #expect(m.etaSeconds(elapsedSeconds: 150) == 450)
        #expect(m.line(elapsedSeconds: 150) == "[#####---------------] 10/40 dates  4.0/min  ETA 7m30s  1 failed")
        #expect(m.line(elapsedSeconds: 150, barWidth: 4) == "[#---] 10/40 dates  4.0/min  ETA 7m30s  1 failed")
        // 10 dates in 20 s: 30/min, whole numbers above 10.
        #expect(m.line(elapsedSeconds: 20).contains("30/min  ETA 1m00s"))
    }

    @Test("the summary counts every status, the wall time, the rate and the skipped dates")
    func summary() {
        var m = ProgressMeter(total: 6)
        for s in [DateStatus.ok, .ok, .noTrade, .failed, .ok] { m.record(s) }
        m.skipped = 1
        #expect(m.summary(elapsedSeconds: 3723) == "5 date(s) in 1h02m (0.1/min): 3 ok, 1 no_trade, 1 failed; 1 already complete, skipped")
        #expect(ProgressMeter(total: 0).summary(elapsedSeconds: 0) == "0 date(s) in 0s")
        #expect(m.etaSeconds(elapsedSeconds: 60) == 12)
        m.record(.ok)
        #expect(m.etaSeconds(elapsedSeconds: 60) == 0)
        #expect(m.line(elapsedSeconds: 60).hasPrefix("[####################] 6/6 dates  6.0/min  ETA 0s"))
    }

    @Test("durations", arguments: [(0.0, "0s"), (44.6, "45s"), (60, "1m00s"), (485, "8m05s"), (3599, "59m59s"), (7380, "2h03m")])
    func durations(seconds: Double, text: String) {
        #expect(ProgressMeter.duration(seconds) == text, "\(seconds) s")
    }
}
