import Testing

@testable import AnnostoreModel

/// The leaf-path walk over canonical bytes must give exactly the paths, in exactly the
/// order, of the walk over parsed values, whichever rows fall back to the parser.
@Suite struct LeafPathWalkTests {
  /// One row as a store holds it: the canonical file bytes of its values, if any.
  typealias Row = [UInt8]?

  static func storeFile(_ json: String) -> [UInt8] {
    CanonicalJSON.fileBytes(TestJSON.parse(json))
  }

  /// The reference: every row parsed, in one collector.
  static func parsedPaths(_ rows: [Row]) throws -> [PropertyPath] {
    let collector = LeafPathCollector()
    for (ordinal, row) in rows.enumerated() {
      guard let row else { continue }
      collector.add(try JSONParser.parse(row), ordinal: ordinal)
    }
    return collector.paths()
  }

  /// The byte walk, rows split in `workers` consecutive parts merged in order as the
  /// export merges its workers; counts the rows that fell back to the parser.
  static func walkedPaths(_ rows: [Row], workers: Int = 1) throws -> (
    paths: [PropertyPath], fallbacks: Int
  ) {
    let total = LeafPathCollector()
    var fallbacks = 0
    let size = max(1, (rows.count + workers - 1) / workers)
    for start in stride(from: 0, to: max(rows.count, 1), by: size) {
      let part = LeafPathCollector()
      for ordinal in start..<min(rows.count, start + size) {
        guard let row = rows[ordinal] else { continue }
        let walked = row.withUnsafeBufferPointer {
          part.add(canonicalValues: $0, ordinal: ordinal)
        }
        if !walked {
          fallbacks += 1
          part.add(try JSONParser.parse(row), ordinal: ordinal)
        }
      }
      total.merge(part)
    }
    return (total.paths(), fallbacks)
  }

  static func expectSame(
    _ rows: [Row], fallbacks expected: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let reference = try parsedPaths(rows)
    for workers in [1, 2, 3, 7] {
      let (paths, fallbacks) = try walkedPaths(rows, workers: workers)
      #expect(
        paths == reference, "\(workers) workers", sourceLocation: sourceLocation)
      if let expected {
        #expect(fallbacks == expected, sourceLocation: sourceLocation)
      }
    }
  }

  @Test func generatedExportsGiveTheParsedOrder() throws {
    for seed in 1...4 {
      var generator = ExportGenerator(seed: UInt64(seed), varied: seed % 2 == 0)
      let export = try JSONParser.parse(generator.export(annotations: 300))
      guard case .object(let values)? = export["annotationPropertyValues"] else {
        Issue.record("no values")
        return
      }
      var rows: [Row] = values.map { CanonicalJSON.fileBytes($0.value) }
      rows.insert(nil, at: 17)
      try Self.expectSame(rows, fallbacks: 0)
    }
  }

  @Test func hostileShapes() throws {
    let rows: [Row] = [
      #"{"p": {"a": 1, "b": {"c": 2, "d": null}}, "q": 3}"#,
      #"{"p": 5, "r": {}, "x": [1, {"y": 2}], "z": {"e": {}}}"#,
      nil,
      #"{}"#,
      #"{"q": "s\"t\\u", "p": {"a": {"deep": {"deeper": [[]]}}}}"#,
      #"{"é": 1, "日本": {"語": true}, "😀": {"a b": false}}"#,
      #"{"p": {"b": {"c": "}{", "d": "]"}}}"#,
      #"{"r": {"k": 1}}"#,
      #"{"": 1, "r": {"": {"": null}}}"#,
      #"{"": {"": 2}}"#,
    ].map { $0.map(Self.storeFile) }
    try Self.expectSame(rows, fallbacks: 0)
  }

  @Test func escapedKeysFallBackToTheParser() throws {
    let rows: [Row] = [
      #"{"a\"b": 1, "p": {"x": 1}}"#,
      #"{"a\"c": 2, "p": {"y": 1}}"#,
      #"{"p": {"x\\": {"q": 1}, "x": 3}}"#,
      #"{"p": {"t\tab": 1}, "a\"b": {"n": null}}"#,
      #"{"a\"b": 5}"#,
    ].map(Self.storeFile)
    try Self.expectSame(rows, fallbacks: 5)
  }

  /// Precomposed and decomposed é are different bytes but equal Swift strings: one path,
  /// as with the string-keyed walk.
  @Test func canonicallyEquivalentKeysAreOnePath() throws {
    let rows: [Row] = [
      Array(#"{"\#u{E9}":{"a":1}}"#.utf8) + [0x0A],
      Array(#"{"e\#u{301}":{"a":2,"b":3}}"#.utf8) + [0x0A],
    ]
    try Self.expectSame(rows, fallbacks: 0)
    #expect(try Self.parsedPaths(rows).count == 2)
  }

  @Test func notCanonicalBytesFallBack() throws {
    let rows: [Row] = [
      Array(#"{ "p": {"a": 1} }"#.utf8),
      Array(#"{"p":{"a":1}} x"#.utf8),
      Array(#"[1]"#.utf8),
      Array(#"{"p":{"b":1}}"#.utf8),
    ]
    let reference = LeafPathCollector()
    let walked = LeafPathCollector()
    for (ordinal, row) in rows.enumerated() {
      guard let parsed = try? JSONParser.parse(row!) else { continue }
      reference.add(parsed, ordinal: ordinal)
      if !row!.withUnsafeBufferPointer({ walked.add(canonicalValues: $0, ordinal: ordinal) }) {
        walked.add(parsed, ordinal: ordinal)
      }
    }
    #expect(walked.paths() == reference.paths())
    #expect(
      !Array(#"{"p":{"a":1}} x"#.utf8).withUnsafeBufferPointer {
        LeafPathCollector().add(canonicalValues: $0, ordinal: 0)
      })
  }

  /// Random nested values from a small key alphabet (so paths repeat, appear, vanish and
  /// change from leaf to object), some keys escaped or non-ASCII.
  @Test func randomValuesGiveTheParsedOrder() throws {
    var random = SeededGenerator(seed: 42)
    let keys = ["a", "b", "c", "é", "ab", "a\"", "日", "p1", "p2", "zz"]
    func value(_ depth: Int) -> JSONValue {
      switch Int.random(in: 0..<8, using: &random) {
      case 0: return .null
      case 1: return .array([.number(1), .object([JSONMember("a", .null)])])
      case 2: return .string("v\"{")
      case 3: return .object([])
      case 4, 5: return depth < 4 ? object(depth + 1) : .number(1)
      default: return .number(Double(Int.random(in: 0..<100, using: &random)))
      }
    }
    func object(_ depth: Int) -> JSONValue {
      var members: [JSONMember] = []
      for key in keys where Int.random(in: 0..<3, using: &random) == 0 {
        members.append(JSONMember(key, value(depth)))
      }
      return .object(members)
    }
    var rows: [Row] = []
    for _ in 0..<400 {
      rows.append(
        Int.random(in: 0..<10, using: &random) == 0 ? nil : CanonicalJSON.fileBytes(object(1)))
    }
    try Self.expectSame(rows)
    #expect(try Self.walkedPaths(rows).fallbacks < rows.count)
  }
}
