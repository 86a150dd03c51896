import AnnostoreGit
import AnnostoreModel
import Testing

@testable import AnnostoreStore

@Suite struct ImportOptionsTests {
  /// FORMAT.md §5.1: connections only with annotations; values only with annotations and
  /// properties.
  @Test(
    arguments: [
      ([], Set<RecordKind>()),
      (["annotations"], [.annotations, .connections, .values]),
      (["connections"], [.connections]),
      (["properties"], [.properties, .values]),
      (["values"], [.values]),
      (["annotations", "properties"], [.annotations, .connections, .properties, .values]),
    ] as [([String], Set<RecordKind>)])
  func optionDependencies(skipped: [String], excluded: Set<RecordKind>) {
    var request = ImportRequest(file: "x.json", dataset: "d")
    request.skipAnnotations = skipped.contains("annotations")
    request.skipConnections = skipped.contains("connections")
    request.skipProperties = skipped.contains("properties")
    request.skipValues = skipped.contains("values")
    #expect(request.excludedKinds == excluded)
  }

  @Test func newIdsAreDerivedFromSourceAndOldId() {
    // hashlib.sha1(b"annostore:plate1:66a1f8e08c1d4e2f7a04b1e0").hexdigest()[:24]
    let derived = NewIDsRewrite.derive(source: "plate1", old: "66a1f8e08c1d4e2f7a04b1e0")
    #expect(derived.count == 24)
    #expect(derived == NewIDsRewrite.derive(source: "plate1", old: "66a1f8e08c1d4e2f7a04b1e0"))
    #expect(derived != NewIDsRewrite.derive(source: "plate2", old: "66a1f8e08c1d4e2f7a04b1e0"))
    #expect(RecordID.isValid(derived))
  }

  @Test func conflictJSONRoundTrips() throws {
    let conflicts = [
      RecordConflict(
        number: 1, kind: .annotations,
        conflict: MergeConflict(
          kind: .field, recordId: "a1", path: ["color"], base: nil, ours: .null,
          theirs: .string("red")),
        resolution: .side(.theirs)),
      RecordConflict(
        number: 2, kind: .values,
        conflict: MergeConflict(
          kind: .deleteModify, recordId: "a2", path: [], base: .object([]), ours: nil,
          theirs: .object([JSONMember("p", .number(1))])),
        resolution: .value(nil)),
      RecordConflict(
        number: 3, kind: .connections,
        conflict: MergeConflict(
          kind: .addAdd, recordId: "c1", path: [], base: nil, ours: .object([]),
          theirs: .object([JSONMember("k", .bool(true))]))),
    ]
    for conflict in conflicts {
      #expect(try ConflictJSON.decode(ConflictJSON.encode(conflict)) == conflict)
    }
  }

  @Test func datasetDimensionsFindOffenders() {
    let dimensions = DatasetDimensions(xy: 2, z: 3, time: 1, channels: 2)
    let inside = json(#"{"location":{"XY":1,"Z":2,"Time":0},"channel":1}"#)
    let outside = json(#"{"location":{"XY":2,"Z":0,"Time":0},"channel":2}"#)
    #expect(dimensions.problem(with: inside!) == nil)
    #expect(dimensions.problem(with: outside!) == "XY 2 not in 0..<2, channel 2 not in 0..<2")
  }

  @Test func treeEntriesParseBackWhatTreeContentWrites() throws {
    let entries = [
      TreeEntry(name: "a.json", id: GitObjectFormat.id(of: .blob, [1]), isTree: false),
      TreeEntry(name: "ab", id: GitObjectFormat.id(of: .blob, [2]), isTree: true),
    ]
    #expect(try GitObjectFormat.treeEntries(GitObjectFormat.treeContent(entries)) == entries)
  }
}

private func json(_ text: String) -> JSONValue? {
  try? JSONParser.parse(Array(text.utf8))
}
