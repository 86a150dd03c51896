import Foundation
import Testing

@testable import AnnostoreModel

/// The skimming reader of annotation fields gives exactly what the full parser gives for
/// the members a row uses, and steps aside for anything unusual; object cells are canonical
/// JSON.
@Suite struct CSVAnnotationFieldsTests {
  static func wantedMembers(_ value: JSONValue) -> [JSONMember] {
    (value.objectMembers ?? []).filter { AnnotationFields.wanted.contains($0.key) }
  }

  @Test func sameMembersAsTheFullParser() throws {
    let export = try JSONParser.parse(try CSVFixtures.bytes("sample-export.json"))
    var documents = export["annotations"]?.arrayElements ?? []
    documents.append(
      TestJSON.parse(
        #"{"_id": "x", "odd": "}]{[\"\\", "coordinates": [{"x": 1e3, "y": -0.5}], "#
          + #""name": "a \"b\" \u00e9 } ]", "tags": ["t,1", "{"], "location": {"XY": 2},"#
          + #" "extra": {"deep": [[], {}, "\\\""]}, "channel": 3, "shape": "point"}"#))
    for document in documents {
      var bytes: [UInt8] = []
      CanonicalJSON.encode(document, into: &bytes)
      let full = try JSONParser.parse(bytes)
      let skimmed = try #require(AnnotationFields.read(bytes))
      #expect(skimmed.objectMembers == Self.wantedMembers(full))
      // pretty-printed input too
      let spaced = Array(
        String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: ",\"", with: " ,\n \"")
          .utf8)
      if let again = AnnotationFields.read(spaced) {
        #expect(again.objectMembers == Self.wantedMembers(try JSONParser.parse(spaced)))
      }
    }
  }

  @Test func unusualTextGoesToTheFullParser() {
    for text in [
      #"{"_\u0069d": "x"}"#, #"{"_id": "x"} trailing"#, #"[1]"#, #"{"_id": "x""#,
      #"{"_id": tru}"#, #"{"a": [1, 2}"#, "",
    ] {
      #expect(AnnotationFields.read(Array(text.utf8)) == nil, "\(text)")
    }
  }

  @Test func objectCellsAreCanonicalJSON() throws {
    let values = TestJSON.parse(#"{"p": {"b": 2.0, "a": {"z": "q\"x, y", "y": 1e-7}}}"#)
    let columns = CSVColumns(
      paths: [PropertyPath("p"), PropertyPath("p", ["a"])], propertyNames: ["p": "P"],
      sanitize: false)
    let encoder = CSVLineEncoder(columns: columns, format: CSVFormat())
    var line: [UInt8] = []
    encoder.appendPropertyCells(values: values, into: &line)
    #expect(
      String(decoding: line, as: UTF8.self)
        == #","{""a"":{""y"":1e-7,""z"":""q\""x, y""},""b"":2}","{""y"":1e-7,""z"":""q\""x, y""}""#)
  }
}
