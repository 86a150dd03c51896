import Foundation
import Testing

@testable import AnnostoreModel

/// The CSV number format against Python itself: a committed golden table made by
/// Tools/gen-python-float-table.py, and fresh random values from python3 when it is there.
@Suite struct CSVNumberTests {
  /// Lines of `bits repr cell`.
  static func compare(table: String) -> [String] {
    var failures: [String] = []
    for line in table.split(separator: "\n") {
      let fields = line.split(separator: " ")
      guard fields.count == 3, let bits = UInt64(fields[0], radix: 16) else {
        failures.append("bad line: \(line)")
        continue
      }
      let value = Double(bitPattern: bits)
      let repr = PythonFloat.repr(value)
      let cell = PythonFloat.cell(value)
      if repr != fields[1] { failures.append("repr \(fields[0]): \(repr) != \(fields[1])") }
      if cell != fields[2] { failures.append("cell \(fields[0]): \(cell) != \(fields[2])") }
    }
    return failures
  }

  @Test func goldenTableFromPython() throws {
    let table = try String(contentsOf: CSVFixtures.url("python-float-table.txt"), encoding: .utf8)
    #expect(table.split(separator: "\n").count > 4000)
    let failures = Self.compare(table: table)
    #expect(failures.isEmpty, "\(failures.count) mismatches, first: \(failures.prefix(5))")
  }

  @Test func freshValuesFromPython() throws {
    let script = """
      import math, random, struct, time
      rng = random.Random(time.time_ns())
      out = []
      for i in range(30000):
          if i % 3 == 0:
              v = struct.unpack('<d', struct.pack('<Q', rng.getrandbits(64)))[0]
          elif i % 3 == 1:
              v = float(f"{rng.randint(1, 10**rng.randint(1, 17))}e{rng.randint(-25, 25)}")
          else:
              v = rng.uniform(-1e6, 1e6)
          if not math.isfinite(v): continue
          b = struct.unpack('<Q', struct.pack('<d', v))[0]
          c = str(int(v)) if v.is_integer() else repr(v)
          out.append(f"{b:016x} {v!r} {c}")
      print("\\n".join(out))
      """
    guard let table = CSVFixtures.runPython(script) else { return }  // no python3: golden only
    #expect(table.split(separator: "\n").count > 25000)
    let failures = Self.compare(table: table)
    #expect(failures.isEmpty, "\(failures.count) mismatches, first: \(failures.prefix(5))")
  }

  @Test func nimbusExamples() {
    #expect(PythonFloat.cell(2170.0) == "2170")
    #expect(PythonFloat.cell(3724592.0) == "3724592")
    #expect(PythonFloat.cell(1e21) == "1000000000000000000000")
    #expect(PythonFloat.cell(0.968) == "0.968")
    #expect(PythonFloat.cell(1e-7) == "1e-07")
    #expect(PythonFloat.cell(1.5e-7) == "1.5e-07")
    #expect(PythonFloat.cell(.nan) == "nan")
    #expect(PythonFloat.cell(.infinity) == "inf")
    #expect(PythonFloat.cell(-.infinity) == "-inf")
    #expect(PythonFloat.cell(-0.0) == "0")
    #expect(PythonFloat.cell(-2.5) == "-2.5")
    #expect(PythonFloat.repr(1.5e16) == "1.5e+16")
    #expect(PythonFloat.repr(1e16) == "1e+16")
    #expect(PythonFloat.repr(1e15) == "1000000000000000.0")
    #expect(PythonFloat.repr(0.0001) == "0.0001")
    #expect(PythonFloat.cell(Double(1 << 62) * 4) == "18446744073709551616")
    #expect(PythonFloat.cell(-9.2e18) == "-9200000000000000000")
  }
}
