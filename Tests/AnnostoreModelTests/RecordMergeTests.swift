import Testing

@testable import AnnostoreModel

/// Parses a JSON literal for a test table (nil for "absent").
func json(_ text: String?) -> JSONValue? {
  guard let text else { return nil }
  return try! JSONParser.parse(Array(text.utf8))
}

/// One row of a merge table: three versions, and the expected result and conflicts.
struct MergeCase: CustomTestStringConvertible, Sendable {
  var name: String
  var base: String?
  var ours: String?
  var theirs: String?
  var style: MergeStyle = .fields
  /// The merged record (with our side where conflicts remain); nil: deleted.
  var merged: String?
  /// Each conflict as "kind path".
  var conflicts: [String] = []

  var testDescription: String { name }
}

@Suite struct RecordMergeTests {
  static let cases: [MergeCase] = [
    // Whole records.
    MergeCase(
      name: "unchanged", base: #"{"a":1}"#, ours: #"{"a":1}"#, theirs: #"{"a":1}"#,
      merged: #"{"a":1}"#),
    MergeCase(
      name: "added on their side only", base: nil, ours: nil, theirs: #"{"a":1}"#,
      merged: #"{"a":1}"#),
    MergeCase(
      name: "add/add identical is clean", base: nil, ours: #"{"a":1}"#, theirs: #"{"a":1}"#,
      merged: #"{"a":1}"#),
    MergeCase(
      name: "add/add different is a record conflict", base: nil, ours: #"{"a":1}"#,
      theirs: #"{"a":2}"#, merged: #"{"a":1}"#, conflicts: ["add/add "]),
    MergeCase(
      name: "delete/delete is clean", base: #"{"a":1}"#, ours: nil, theirs: nil, merged: nil),
    MergeCase(
      name: "deleted by them, unchanged here", base: #"{"a":1}"#, ours: #"{"a":1}"#,
      theirs: nil, merged: nil),
    MergeCase(
      name: "deleted here, modified by them", base: #"{"a":1}"#, ours: nil, theirs: #"{"a":2}"#,
      merged: nil, conflicts: ["delete/modify "]),
    MergeCase(
      name: "modified here, deleted by them", base: #"{"a":1}"#, ours: #"{"a":3}"#, theirs: nil,
      merged: #"{"a":3}"#, conflicts: ["delete/modify "]),
    // Plain fields.
    MergeCase(
      name: "each side changes its own field", base: #"{"name":"a","color":"red"}"#,
      ours: #"{"name":"b","color":"red"}"#, theirs: #"{"name":"a","color":"blue"}"#,
      merged: #"{"name":"b","color":"blue"}"#),
    MergeCase(
      name: "same change on both sides", base: #"{"name":"a","channel":0}"#,
      ours: #"{"name":"b","channel":1}"#, theirs: #"{"name":"b","channel":0}"#,
      merged: #"{"name":"b","channel":1}"#),
    MergeCase(
      name: "different changes of one field", base: #"{"name":"a","channel":0}"#,
      ours: #"{"name":"b","channel":0}"#, theirs: #"{"name":"c","channel":0}"#,
      merged: #"{"name":"b","channel":0}"#, conflicts: ["field name"]),
    MergeCase(
      name: "field added by them", base: #"{"a":1}"#, ours: #"{"a":2}"#,
      theirs: #"{"a":1,"color":"red"}"#, merged: #"{"a":2,"color":"red"}"#),
    MergeCase(
      name: "field removed here, untouched there", base: #"{"a":1,"name":"x"}"#,
      ours: #"{"a":1}"#, theirs: #"{"a":2,"name":"x"}"#, merged: #"{"a":2}"#),
    MergeCase(
      name: "field removed here, changed there", base: #"{"a":1,"name":"x"}"#,
      ours: #"{"a":1}"#, theirs: #"{"a":1,"name":"y"}"#, merged: #"{"a":1}"#,
      conflicts: ["field name"]),
    MergeCase(
      name: "null differs from absent", base: #"{"a":1}"#, ours: #"{"a":1,"color":null}"#,
      theirs: #"{"a":1,"color":"red"}"#, merged: #"{"a":1,"color":null}"#,
      conflicts: ["field color"]),
    MergeCase(
      name: "unknown fields merge like known ones", base: #"{"a":1,"zz":{"k":1}}"#,
      ours: #"{"a":1,"zz":{"k":2}}"#, theirs: #"{"a":1,"zz":{"k":1,"j":0}}"#,
      merged: #"{"a":1,"zz":{"k":2}}"#, conflicts: ["field zz"]),
    // Coordinates and location are one value each.
    MergeCase(
      name: "coordinates: different vertices moved is a conflict",
      base: #"{"coordinates":[{"x":1,"y":1},{"x":2,"y":2}]}"#,
      ours: #"{"coordinates":[{"x":9,"y":1},{"x":2,"y":2}]}"#,
      theirs: #"{"coordinates":[{"x":1,"y":1},{"x":2,"y":9}]}"#,
      merged: #"{"coordinates":[{"x":9,"y":1},{"x":2,"y":2}]}"#, conflicts: ["field coordinates"]
    ),
    MergeCase(
      name: "coordinates moved on one side", base: #"{"coordinates":[{"x":1,"y":1}],"name":"a"}"#,
      ours: #"{"coordinates":[{"x":1,"y":1}],"name":"b"}"#,
      theirs: #"{"coordinates":[{"x":5,"y":5}],"name":"a"}"#,
      merged: #"{"coordinates":[{"x":5,"y":5}],"name":"b"}"#),
    MergeCase(
      name: "location changed differently", base: #"{"location":{"XY":0,"Z":0,"Time":0}}"#,
      ours: #"{"location":{"XY":0,"Z":1,"Time":0}}"#,
      theirs: #"{"location":{"XY":0,"Z":0,"Time":1}}"#,
      merged: #"{"location":{"XY":0,"Z":1,"Time":0}}"#, conflicts: ["field location"]),
    // Tags are a set.
    MergeCase(
      name: "tags: both add", base: #"{"tags":["n"]}"#, ours: #"{"tags":["n","a"]}"#,
      theirs: #"{"tags":["b","n"]}"#, merged: #"{"tags":["n","a","b"]}"#),
    MergeCase(
      name: "tags: removal here, addition there", base: #"{"tags":["n","x"]}"#,
      ours: #"{"tags":["n"]}"#, theirs: #"{"tags":["n","x","y"]}"#,
      merged: #"{"tags":["n","y"]}"#),
    MergeCase(
      name: "tags: removal there, addition here", base: #"{"tags":["n","x"]}"#,
      ours: #"{"tags":["z","n","x"]}"#, theirs: #"{"tags":["x"]}"#,
      merged: #"{"tags":["z","x"]}"#),
    MergeCase(
      name: "tags: both add the same, no duplicate", base: #"{"tags":[]}"#,
      ours: #"{"tags":["a","c"]}"#, theirs: #"{"tags":["b","a"]}"#,
      merged: #"{"tags":["a","c","b"]}"#),
    MergeCase(
      name: "tags: field absent in base", base: #"{"k":1}"#, ours: #"{"k":1,"tags":["a"]}"#,
      theirs: #"{"k":1,"tags":["b"]}"#, merged: #"{"k":1,"tags":["a","b"]}"#),
    MergeCase(
      name: "tags: a property's tags object is one value",
      base: #"{"tags":{"tags":["n"],"exclusive":false}}"#,
      ours: #"{"tags":{"tags":["n"],"exclusive":true}}"#,
      theirs: #"{"tags":{"tags":["m"],"exclusive":false}}"#,
      merged: #"{"tags":{"tags":["n"],"exclusive":true}}"#, conflicts: ["field tags"]),
    // Property values, leaf by leaf.
    MergeCase(
      name: "values: different leaves of one property", base: #"{"p":{"Area":1,"Perimeter":2}}"#,
      ours: #"{"p":{"Area":5,"Perimeter":2}}"#, theirs: #"{"p":{"Area":1,"Perimeter":7}}"#,
      style: .leaves, merged: #"{"p":{"Area":5,"Perimeter":7}}"#),
    MergeCase(
      name: "values: nested leaves", base: #"{"p":{"I":{"mean":1,"max":2}},"q":3}"#,
      ours: #"{"p":{"I":{"mean":4,"max":2}},"q":3}"#,
      theirs: #"{"p":{"I":{"mean":1,"max":6}},"q":8}"#, style: .leaves,
      merged: #"{"p":{"I":{"mean":4,"max":6}},"q":8}"#),
    MergeCase(
      name: "values: one leaf changed differently", base: #"{"p":{"Area":1,"Perimeter":2}}"#,
      ours: #"{"p":{"Area":5,"Perimeter":2}}"#, theirs: #"{"p":{"Area":6,"Perimeter":3}}"#,
      style: .leaves, merged: #"{"p":{"Area":5,"Perimeter":3}}"#, conflicts: ["field p/Area"]),
    MergeCase(
      name: "values: a property added on each side", base: #"{"p":1}"#, ours: #"{"p":1,"q":2}"#,
      theirs: #"{"p":1,"r":{"s":"G1"}}"#, style: .leaves, merged: #"{"p":1,"q":2,"r":{"s":"G1"}}"#),
    MergeCase(
      name: "values: a leaf becomes an object on one side, changes on the other",
      base: #"{"p":1}"#, ours: #"{"p":{"a":1}}"#, theirs: #"{"p":2}"#, style: .leaves,
      merged: #"{"p":{"a":1}}"#, conflicts: ["field p"]),
    MergeCase(
      name: "values: removals on both sides leave nothing", base: #"{"p":1,"q":2}"#,
      ours: #"{"q":2}"#, theirs: #"{"p":1}"#, style: .leaves, merged: nil),
    MergeCase(
      name: "values: null leaf against a number", base: #"{"p":{"a":1}}"#,
      ours: #"{"p":{"a":null}}"#, theirs: #"{"p":{"a":2}}"#, style: .leaves,
      merged: #"{"p":{"a":null}}"#, conflicts: ["field p/a"]),
  ]

  @Test(arguments: cases)
  func merges(_ row: MergeCase) {
    let result = RecordMerge.merge(
      id: "r1", base: json(row.base), ours: json(row.ours), theirs: json(row.theirs),
      style: row.style)
    #expect(canonical(result.merged) == canonical(json(row.merged)))
    #expect(result.conflicts.map { "\($0.kind.rawValue) \($0.pathText)" } == row.conflicts)
    for conflict in result.conflicts {
      #expect(conflict.recordId == "r1")
      let path = conflict.path
      #expect(conflict.base == RecordMerge.value(at: path, in: json(row.base)))
      #expect(conflict.ours == RecordMerge.value(at: path, in: json(row.ours)))
      #expect(conflict.theirs == RecordMerge.value(at: path, in: json(row.theirs)))
    }
  }

  @Test func settingAValueAtAPath() {
    let record = json(#"{"p":{"a":1},"n":"x"}"#)
    #expect(
      canonical(RecordMerge.setting(.number(2), at: ["p", "b"], in: record))
        == #"{"n":"x","p":{"a":1,"b":2}}"#)
    #expect(canonical(RecordMerge.setting(nil, at: ["n"], in: record)) == #"{"p":{"a":1}}"#)
    #expect(RecordMerge.setting(nil, at: [], in: record) == nil)
  }

  @Test func tagSetMergeKeepsOrderWithoutDuplicates() {
    #expect(TagSetMerge.merge(base: [], ours: ["a", "a", "b"], theirs: ["c"]) == ["a", "b", "c"])
    #expect(TagSetMerge.merge(base: ["x"], ours: ["x", "y"], theirs: []) == ["y"])
  }
}

/// Canonical text of a value, nil for absent: compares values whatever their key order.
func canonical(_ value: JSONValue?) -> String? {
  value.map { String(decoding: CanonicalJSON.encode($0), as: UTF8.self) }
}
