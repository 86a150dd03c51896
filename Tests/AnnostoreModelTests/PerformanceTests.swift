import Foundation
import XCTest

@testable import AnnostoreModel

/// Throughput of the export pipeline on a generated export-like file. Runs only with
/// `ANNOSTORE_PERF=1` (measure with a release build:
/// `swift build -c release --build-tests -Xswiftc -enable-testing` then
/// `ANNOSTORE_PERF=1 swift test -c release --skip-build --filter PerformanceTests`).
/// `ANNOSTORE_PERF_ANNOTATIONS` sets the size (default 120,000 annotations, about 85 MB).
final class PerformanceTests: XCTestCase {
  static var enabled: Bool { ProcessInfo.processInfo.environment["ANNOSTORE_PERF"] == "1" }

  static func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }

  func testThroughput() throws {
    guard Self.enabled else { throw XCTSkip("set ANNOSTORE_PERF=1 to measure throughput") }
    let annotations =
      Int(ProcessInfo.processInfo.environment["ANNOSTORE_PERF_ANNOTATIONS"] ?? "") ?? 120_000
    let directory = try TemporaryDirectory()
    var generator = ExportGenerator(seed: 2024)
    let bytes = generator.export(annotations: annotations)
    let path = try directory.write(bytes)
    let megabytes = Double(bytes.count) / 1_000_000
    func report(_ name: String, _ seconds: Double) {
      let rate = megabytes / seconds
      print(
        "PERF \(name): \(String(format: "%.1f", megabytes)) MB in"
          + " \(String(format: "%.3f", seconds)) s = \(String(format: "%.0f", rate)) MB/s")
    }
    print("PERF file: \(bytes.count) bytes, \(annotations) annotations")

    for _ in 0..<2 {
      var summary = ExportSummary()
      report(
        "validate only (ExportReader.validate)",
        try Self.seconds {
          summary = try ExportReader(path: path).validate()
        })
      XCTAssertEqual(summary.annotations, annotations)

      var records = 0
      report(
        "read + parse into JSONValue",
        try Self.seconds {
          try ExportReader(path: path).read { event in
            if case .record = event { records += 1 }
          }
        })

      var output: [UInt8] = []
      output.reserveCapacity(1 << 16)
      var total = 0
      report(
        "read + parse + CanonicalJSON.encode (reused buffer)",
        try Self.seconds {
          try ExportReader(path: path).read { event in
            switch event {
            case .record(_, let value, _, _), .values(_, let value, _):
              output.removeAll(keepingCapacity: true)
              CanonicalJSON.encode(value, into: &output)
              total += output.count
            default: break
            }
          }
        })

      var fileBytes = 0
      report(
        "read + parse + CanonicalJSON.fileBytes (new array per record)",
        try Self.seconds {
          try ExportReader(path: path).read { event in
            switch event {
            case .record(_, let value, _, _), .values(_, let value, _):
              fileBytes += CanonicalJSON.fileBytes(value).count
            default: break
            }
          }
        })
      XCTAssertGreaterThan(total, bytes.count / 2)

      var value = JSONValue.null
      report(
        "JSONParser.parse whole file in memory",
        try Self.seconds {
          value = try JSONParser.parse(bytes)
        })
      report(
        "CanonicalJSON.encode whole document",
        Self.seconds {
          output = CanonicalJSON.encode(value)
        })
      report(
        "JSONParser.validate whole file in memory",
        try Self.seconds {
          try JSONParser.validate(bytes)
        })
    }
  }
}
