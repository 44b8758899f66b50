import Foundation
import VixShieldTestSupport
import Ingest
import VixShieldCore

/// Locations of the shipped event calendar and of the real samples in the shared data folder.
enum RatesBreadthEventsFixtures {
    /// The package root, three levels above this file (`Tests/IngestTests/RatesBreadthEvents/`).
    static let packageRoot = TestPaths.packageRoot

    static let shippedEvents = packageRoot.appendingPathComponent("data/events/us_macro_events.csv")

    /// A shared data file (relative to `data/`), or nil when the shared folder or the file is absent.
    static func shared(_ relativePath: String) -> URL? { TestPaths.sharedFile("data/" + relativePath) }

    /// Whether `CSVTable` splits CRLF files into lines. It does once the CRLF fix on the adapters branch
    /// (commit 4895784, "CRLF line split fix in CSVTable") is merged; tests of CRLF input wait for it.
    static let csvTableSplitsCRLF: Bool = {
        guard let table = try? CSVTable(data: Data("a,b\r\n1,2\r\n".utf8), source: "probe") else { return false }
        return table.header == ["a", "b"] && table.rows.count == 1
    }()

    static func date(_ iso: String) -> CalendarDate {
        guard let d = CalendarDate(iso: iso) else { fatalError("bad test date literal \(iso)") }
        return d
    }
}

/// The one-line description of the `AdapterError` that `body` throws, or a marker naming what happened instead.
func rbeThrownMessage<T>(_ body: () throws -> T) -> String {
    do {
        _ = try body()
        return "<no error>"
    } catch let error as AdapterError {
        return error.description
    } catch {
        return "<not an AdapterError: \(error)>"
    }
}
