import Foundation
import XCTest

@testable import AnnostoreModel

/// Throughput of the export pipeline on generated export-like files. Runs only with
/// `ANNOSTORE_PERF=1`; measure a release build:
/// `swift build -c release --build-tests -Xswiftc -enable-testing`, then
/// `ANNOSTORE_PERF=1 swift test -c release --skip-build --filter PerformanceTests`.
/// `ANNOSTORE_PERF_ANNOTATIONS` sets the size (default 120,000 annotations, about 85 MB).
/// Both wall-clock and process CPU time are printed: on a shared machine the CPU time is
/// the figure that means something.
final class PerformanceTests: XCTestCase {
  static var enabled: Bool { ProcessInfo.processInfo.environment["ANNOSTORE_PERF"] == "1" }

  static func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }

  /// (wall, cpu) seconds of `body`.
  static func measure(_ body: () throws -> Void) rethrows -> (Double, Double) {
    let wallStart = DispatchTime.now().uptimeNanoseconds
    let cpuStart = cpuSeconds()
    try body()
    let cpu = cpuSeconds() - cpuStart
    return (Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9, cpu)
  }

  func testThroughputMixedNumbers() throws {
    try throughput(pixelCoordinates: false)
  }

  func testThroughputPixelCoordinates() throws {
    try throughput(pixelCoordinates: true)
  }

  func throughput(pixelCoordinates: Bool) throws {
    guard Self.enabled else { throw XCTSkip("set ANNOSTORE_PERF=1 to measure throughput") }
    let annotations =
      Int(ProcessInfo.processInfo.environment["ANNOSTORE_PERF_ANNOTATIONS"] ?? "") ?? 120_000
    let directory = try TemporaryDirectory()
    var generator = ExportGenerator(seed: 2024, pixelCoordinates: pixelCoordinates)
    let bytes = generator.export(annotations: annotations)
    let path = try directory.write(bytes)
    let megabytes = Double(bytes.count) / 1_000_000
    let label = pixelCoordinates ? "pixel coordinates" : "mixed numbers"
    func report(_ name: String, _ times: (Double, Double)) {
      func rate(_ seconds: Double) -> String { String(format: "%.0f MB/s", megabytes / seconds) }
      print("PERF [\(label)] \(name): wall \(rate(times.0)), cpu \(rate(times.1))")
    }
    print("PERF [\(label)] file: \(bytes.count) bytes, \(annotations) annotations")

    for _ in 0..<3 {
      var summary = ExportSummary()
      report(
        "validate only (ExportReader.validate)",
        try Self.measure {
          summary = try ExportReader(path: path).validate()
        })
      XCTAssertEqual(summary.annotations, annotations)

      var rawRecords = 0
      var rawBytes = 0
      report(
        "scan only (ExportReader.scan, raw records)",
        try Self.measure {
          try ExportReader(path: path).scan { event in
            if case .record(let record) = event {
              rawRecords += 1
              rawBytes += record.bytes.count
            }
          }
        })
      XCTAssertGreaterThan(rawBytes, bytes.count * 9 / 10)

      let recordParser = JSONRecordParser()
      report(
        "scan + parse every record (JSONRecordParser)",
        try Self.measure {
          try ExportReader(path: path).scan { event in
            if case .record(let record) = event { _ = try recordParser.parse(record) }
          }
        })

      var records = 0
      report(
        "read + parse into JSONValue",
        try Self.measure {
          try ExportReader(path: path).read { event in
            switch event {
            case .record, .values: records += 1
            default: break
            }
          }
        })
      XCTAssertEqual(records, rawRecords)

      var output: [UInt8] = []
      output.reserveCapacity(1 << 16)
      var total = 0
      report(
        "read + parse + CanonicalJSON.encode",
        try Self.measure {
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
      XCTAssertGreaterThan(total, bytes.count / 2)

      var fileBytes = 0
      report(
        "read + parse + CanonicalJSON.fileBytes",
        try Self.measure {
          try ExportReader(path: path).read { event in
            switch event {
            case .record(_, let value, _, _), .values(_, let value, _):
              fileBytes += CanonicalJSON.fileBytes(value).count
            default: break
            }
          }
        })

      var value = JSONValue.null
      report(
        "JSONParser.parse (whole file in memory)",
        try Self.measure {
          value = try JSONParser.parse(bytes)
        })
      report(
        "CanonicalJSON.encode (whole document)",
        Self.measure {
          output = CanonicalJSON.encode(value)
        })
      report(
        "JSONParser.validate (whole file in memory)",
        try Self.measure {
          try JSONParser.validate(bytes)
        })
    }
  }
}
