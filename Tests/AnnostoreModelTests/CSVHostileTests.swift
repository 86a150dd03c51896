import Testing

@testable import AnnostoreModel

/// Hostile names and values: every line must stay one row for an RFC 4180 reader, and
/// everything NimbusImage writes safely must stay byte-identical.
@Suite struct CSVHostileTests {
  static func annotation(
    _ id: String, tags: [String] = ["t"], name: JSONValue? = nil,
    location: JSONValue? = .object([
      JSONMember("XY", .number(0)), JSONMember("Z", .number(0)), JSONMember("Time", .number(0)),
    ]),
    channel: JSONValue? = .number(0)
  ) -> JSONValue {
    var members = [
      JSONMember("_id", .string(id)), JSONMember("tags", .array(tags.map { .string($0) })),
      JSONMember("shape", .string("point")),
    ]
    if let channel { members.append(JSONMember("channel", channel)) }
    if let location { members.append(JSONMember("location", location)) }
    if let name { members.append(JSONMember("name", name)) }
    return .object(members)
  }

  /// The CSV of rows (annotation, values) with property names (id → name) and paths.
  static func csv(
    _ rows: [(JSONValue, JSONValue?)], names: [String: String], paths: [PropertyPath],
    format: CSVFormat = CSVFormat()
  ) -> String {
    let encoder = CSVLineEncoder(
      columns: CSVColumns(paths: paths, propertyNames: names, sanitize: format.sanitizeColumnNames),
      format: format)
    var bytes: [UInt8] = []
    encoder.appendHeader(into: &bytes)
    for (annotation, values) in rows {
      encoder.appendRow(annotation: annotation, values: values, into: &bytes)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  static let fixedHeader = "\"Id\",Channel,XY,Z,Time,\"Tags\",\"Shape\",\"Name\""
  static let tabHeader = "\"Id\"\tChannel\tXY\tZ\tTime\t\"Tags\"\t\"Shape\"\t\"Name\""

  static func values(_ pairs: [(String, JSONValue)]) -> JSONValue {
    .object(pairs.map { JSONMember($0.0, $0.1) })
  }

  @Test func propertyNameWithCommaQuotesHeaderAndCells() {
    let text = Self.csv(
      [(Self.annotation("a"), Self.values([("p", .number(2170))]))],
      names: ["p": "cell, fibroblast"], paths: [PropertyPath("p")])
    #expect(
      text == Self.fixedHeader + ",\"cell, fibroblast\"\n"
        + "\"a\",0,1,1,1,\"t\",\"point\",\"\",\"2170\"\n")
    let tabbed = Self.csv(
      [(Self.annotation("a"), nil)], names: ["p": "cell, fibroblast"], paths: [PropertyPath("p")],
      format: CSVFormat(delimiter: .tab, undefinedValue: "NA"))
    #expect(
      tabbed == Self.tabHeader + "\t\"cell, fibroblast\"\n"
        + "\"a\"\t0\t1\t1\t1\t\"t\"\t\"point\"\t\"\"\t\"NA\"\n")
  }

  @Test func headerNamesThatWouldBreakTheRowAreQuoted() {
    let names = ["q": "say \"hi\"", "c": "a, \"b\"", "t": "tab\there", "n": "line\nbreak"]
    let paths = ["q", "c", "t", "n"].map { PropertyPath($0) }
    let text = Self.csv([], names: names, paths: paths)
    #expect(
      text == Self.fixedHeader
        + ",\"say \"\"hi\"\"\",\"a, \"\"b\"\"\",tab\there,\"line\nbreak\"\n")
    let tabbed = Self.csv([], names: names, paths: paths, format: CSVFormat(delimiter: .tab))
    #expect(
      tabbed == Self.tabHeader
        + "\t\"say \"\"hi\"\"\"\t\"a, \"\"b\"\"\"\t\"tab\there\"\t\"line\nbreak\"\n")
  }

  @Test func unquotedCellsThatWouldBreakTheRowAreQuoted() {
    let values = Self.values([
      (
        "p",
        .object([
          JSONMember("comma", .string("G1, late")), JSONMember("quote", .string("5\" wide")),
          JSONMember("lf", .string("two\nlines")), JSONMember("cr", .string("cr\rhere")),
          JSONMember("tab", .string("a\tb")), JSONMember("space", .string("  lead and trail ")),
          JSONMember("utf8", .string("µm² 細胞")),
        ])
      )
    ])
    let keys = ["comma", "quote", "lf", "cr", "tab", "space", "utf8"]
    let paths = keys.map { PropertyPath("p", [$0]) }
    let text = Self.csv([(Self.annotation("a"), values)], names: ["p": "P"], paths: paths)
    let header = keys.map { "P / \($0)" }.joined(separator: ",")
    #expect(
      text == Self.fixedHeader + "," + header + "\n"
        + "\"a\",0,1,1,1,\"t\",\"point\",\"\","
        + "\"G1, late\",\"5\"\" wide\",\"two\nlines\",\"cr\rhere\",a\tb,  lead and trail ,µm² 細胞\n"
    )
    let tabbed = Self.csv(
      [(Self.annotation("a"), values)], names: ["p": "P"], paths: paths,
      format: CSVFormat(delimiter: .tab))
    #expect(
      tabbed.hasSuffix(
        "\t\"\"\tG1, late\t\"5\"\" wide\"\t\"two\nlines\"\t\"cr\rhere\"\t\"a\tb\"\t  lead and trail \tµm² 細胞\n"
      ))
  }

  @Test func fixedColumnsWithHostileText() {
    let annotation = Self.annotation(
      "a", tags: ["nucleus, big", "say \"x\"", "line\nbreak"], name: .string("Cell 3, \"bright\"\n")
    )
    let text = Self.csv([(annotation, nil)], names: [:], paths: [])
    #expect(
      text == Self.fixedHeader + "\n"
        + "\"a\",0,1,1,1,\"nucleus, big, say \"\"x\"\", line\nbreak\",\"point\","
        + "\"Cell 3, \"\"bright\"\"\n\"\n")
  }

  @Test func missingFieldsTakeNimbusDefaults() {
    let rows: [(JSONValue, JSONValue?)] = [
      (Self.annotation("a", tags: [], name: .null, location: nil, channel: nil), nil),
      (
        Self.annotation(
          "b", location: .object([JSONMember("Z", .number(4))]), channel: .number(3)),
        nil
      ),
      (
        .object([
          JSONMember("_id", .string("c")), JSONMember("tags", .null), JSONMember("shape", .null),
        ]), nil
      ),
    ]
    let text = Self.csv(rows, names: [:], paths: [])
    #expect(
      text == Self.fixedHeader + "\n" + "\"a\",0,1,1,1,\"\",\"point\",\"\"\n"
        + "\"b\",3,1,5,1,\"t\",\"point\",\"\"\n" + "\"c\",0,1,1,1,\"\",\"\",\"\"\n")
  }

  @Test func undefinedNullAndNumberCells() {
    let values = Self.values([
      (
        "p",
        .object([
          JSONMember("null", .null), JSONMember("x", .number(1e-7)),
          JSONMember("big", .number(1e21)),
          JSONMember("nested", .object([JSONMember("k", .number(1))])),
          JSONMember("scalar", .number(0.5)),
        ])
      )
    ])
    let paths = [
      PropertyPath("p", ["null"]), PropertyPath("p", ["x"]), PropertyPath("p", ["big"]),
      PropertyPath("p", ["missing"]), PropertyPath("p", ["scalar", "below"]),
      PropertyPath("p", ["nested", "k"]), PropertyPath("other"),
    ]
    for undefined in ["", "NA", "NaN"] {
      let text = Self.csv(
        [(Self.annotation("a"), values), (Self.annotation("b"), nil)],
        names: ["p": "P", "other": "O"], paths: paths,
        format: CSVFormat(undefinedValue: undefined))
      let u = undefined
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(
        lines[1]
          == "\"a\",0,1,1,1,\"t\",\"point\",\"\",\(u),1e-07,1000000000000000000000,\(u),\(u),1,\(u)"
      )
      #expect(lines[2] == "\"b\",0,1,1,1,\"t\",\"point\",\"\",\(u),\(u),\(u),\(u),\(u),\(u),\(u)")
      #expect(lines.count == 4 && lines[3].isEmpty)
    }
  }

  @Test func unknownOrUnnamedPropertiesGiveNoColumn() {
    let columns = CSVColumns(
      paths: [
        PropertyPath("known"), PropertyPath("gone"), PropertyPath("blank"), PropertyPath("known"),
      ],
      propertyNames: ["known": "K", "blank": ""], sanitize: false)
    #expect(columns.columns.map(\.name).suffix(2) == ["K", "K"])
    #expect(columns.dropped == [PropertyPath("gone"), PropertyPath("blank")])
    #expect(columns.propertyPaths == [PropertyPath("known"), PropertyPath("known")])
  }

  @Test func sanitizingAndDeduplication() {
    #expect(
      ColumnNames.sanitize("cell, fibroblast/Blob Metrics (%) / Mean Area (um^2)")
        == "cell_fibroblast_Blob_Metrics_Mean_Area_um_2")
    #expect(ColumnNames.sanitize("µm² area") == "m_area")
    #expect(ColumnNames.sanitize("__a__/__b__") == "a_____b")
    #expect(ColumnNames.sanitize("%%%") == "_")
    #expect(ColumnNames.sanitize("") == "_")
    #expect(ColumnNames.deduplicate(["Area", "Area_2", "Area"]) == ["Area", "Area_2", "Area_3"])
    #expect(ColumnNames.deduplicate(["X_2", "X", "X"]) == ["X_2", "X", "X_3"])
    #expect(ColumnNames.deduplicate(["A", "A", "A_2"]) == ["A", "A_2", "A_2_2"])
    let columns = CSVColumns(
      paths: [PropertyPath("n"), PropertyPath("a"), PropertyPath("b"), PropertyPath("c")],
      propertyNames: ["n": "Name", "a": "Area (µm)", "b": "Area µm", "c": "Area, µm"],
      sanitize: true)
    #expect(
      columns.columns.map(\.name)
        == [
          "Id", "Channel", "XY", "Z", "Time", "Tags", "Shape", "Name", "Name_2", "Area_m",
          "Area_m_2", "Area_m_3",
        ])
    #expect(
      columns.columns.map(\.quoted) == [true, false, false, false, false, true, true, true]
        + [false, false, false, false])
  }

  @Test func requestBodies() throws {
    let body = TestJSON.parse(
      """
      {"datasetId": "x", "filename": "f.csv", "propertyPaths": [["p", "a"], [], ["q"]],
       "undefinedValue": "NA", "delimiter": "\\t", "sanitizeColumnNames": true,
       "annotationIds": ["a1", "b-2"]}
      """)
    let request = try CSVRequest(json: body)
    #expect(request.propertyPaths == [PropertyPath("p", ["a"]), PropertyPath("q")])
    #expect(request.annotationIDs == ["a1", "b-2"])
    #expect(
      request.format == CSVFormat(delimiter: .tab, undefinedValue: "NA", sanitizeColumnNames: true))
    for delimiter in ["\";\"", "\"  \"", "5", "null", "\",,\""] {
      let other = try CSVRequest(json: TestJSON.parse("{\"delimiter\": \(delimiter)}"))
      #expect(other.format.delimiter == .comma)
    }
    #expect(
      try CSVRequest(json: TestJSON.parse("{}"))
        == CSVRequest(propertyPaths: [], annotationIDs: nil, format: CSVFormat()))
    #expect(try CSVRequest(json: TestJSON.parse("{\"annotationIds\": []}")).annotationIDs == [])
    #expect(try CSVRequest(json: TestJSON.parse("{\"annotationIds\": null}")).annotationIDs == nil)
    for bad in [
      "[]", "{\"propertyPaths\": [[\"../x\"]]}", "{\"propertyPaths\": [[1]]}",
      "{\"propertyPaths\": \"p\"}", "{\"annotationIds\": [\"a b\"]}", "{\"annotationIds\": [3]}",
      "{\"undefinedValue\": 0}", "{\"propertypaths\": []}", "{\"sanitizeColumnNames\": \"yes\"}",
    ] {
      #expect(throws: RecordError.self) { try CSVRequest(json: TestJSON.parse(bad)) }
    }
  }

  @Test func leafPathOrderIsNimbusImagesReversedWalk() {
    let collector = LeafPathCollector()
    collector.add(TestJSON.parse(#"{"p": {"a": 1, "b": {"c": 2, "d": null}}, "q": 3}"#))
    collector.add(TestJSON.parse(#"{"p": 5, "r": {}, "x": 1}"#))
    collector.add(TestJSON.parse(#"{"q": "s"}"#))
    collector.add(.object([]))
    let all = collector.paths()
    #expect(
      all.map(\.description) == ["q", "x", "r", "p", "p.b.d", "p.b.c", "p.a"])
    #expect(
      collector.paths { $0 != "x" }.map(\.description) == ["q", "r", "p", "p.b.d", "p.b.c", "p.a"])
  }

  @Test func mergedCollectorsGiveTheSequentialOrder() {
    let rows = [
      #"{"p": {"a": 1, "b": {"c": 2, "d": null}}, "q": 3}"#, #"{"p": 5, "r": {}, "x": 1}"#,
      #"{"q": "s", "p": {"a": 2}}"#, #"{"z": {"y": 1}}"#, #"{"p": {"b": {"c": 1}}}"#,
    ].map { TestJSON.parse($0) }
    let sequential = LeafPathCollector()
    rows.forEach(sequential.add)
    for split in 0...rows.count {
      let first = LeafPathCollector()
      let second = LeafPathCollector()
      for (index, row) in rows.enumerated() {
        (index < split ? first : second).add(row, ordinal: index)
      }
      second.merge(first)
      #expect(second.paths() == sequential.paths(), "split at \(split)")
    }
  }

  @Test func resolvingColumnNames() throws {
    let properties = ["1": "nucleus Blob Intensity", "2": "a / b", "3": "dup", "4": "dup"]
    #expect(
      try PropertyColumnName.resolve(
        "nucleus Blob Intensity / Intensity / mean", properties: properties)
        == PropertyPath("1", ["Intensity", "mean"]))
    #expect(
      try PropertyColumnName.resolve("a / b / c", properties: properties)
        == PropertyPath("2", ["c"]))
    #expect(try PropertyColumnName.resolve("a / b", properties: properties) == PropertyPath("2"))
    #expect(throws: CSVSelectionError.self) {
      try PropertyColumnName.resolve("dup", properties: properties)
    }
    #expect(throws: CSVSelectionError.self) {
      try PropertyColumnName.resolve("nope / x", properties: properties)
    }
    #expect(
      try PropertyColumnName.parseDotted("p1.Intensity.mean")
        == PropertyPath("p1", ["Intensity", "mean"]))
    #expect(throws: CSVSelectionError.self) { try PropertyColumnName.parseDotted("p/1.x") }
  }

  @Test func rowFilters() {
    let annotation = TestJSON.parse(
      #"{"_id": "a", "tags": ["nucleus", "dividing"], "shape": "polygon", "channel": 1, "location": {"XY": 0, "Z": 2}}"#
    )
    var filter = CSVRowFilter()
    #expect(filter.isEmpty && filter.matches(annotation))
    filter.tags = ["nucleus", "dividing"]
    #expect(filter.matches(annotation))
    filter.tags = ["nucleus", "spot"]
    #expect(!filter.matches(annotation))
    filter = CSVRowFilter()
    filter.shapes = ["point", "polygon"]
    filter.channels = [1]
    filter.xy = [1]
    filter.z = [3]
    filter.time = [1]
    #expect(filter.matches(annotation))
    filter.z = [2]
    #expect(!filter.matches(annotation))
  }
}
