import Testing

@testable import AnnostoreModel

/// A valid annotation, as NimbusImage's server exports it.
private func annotation(_ changes: [String: JSONValue?] = [:]) -> JSONValue {
  var members: [JSONMember] = [
    JSONMember("_id", .string("66a1f8e08c1d4e2f7a04b1e0")),
    JSONMember("tags", .array([.string("nucleus")])),
    JSONMember("shape", .string("polygon")),
    JSONMember("channel", .number(0)),
    JSONMember("location", .object([JSONMember("XY", .number(0)), JSONMember("Z", .number(2))])),
    JSONMember("datasetId", .string("66a1f0c25b7e9a3c1d1a2b3c")),
    JSONMember(
      "coordinates",
      .array([.object([JSONMember("x", .number(669.5)), JSONMember("y", .number(881))])])),
  ]
  for (key, value) in changes {
    members.removeAll { $0.key == key }
    if let value { members.append(JSONMember(key, value)) }
  }
  return .object(members)
}

@Suite struct NimbusDocumentsTests {
  @Test func acceptsServerAnnotationAndKeepsUnknownFields() throws {
    let value = annotation(["properties": .object([]), "name": .null, "color": .string("#3fa2b")])
    let record = try NimbusDocuments.annotation(value, at: "/annotations/0")
    #expect(record.id == "66a1f8e08c1d4e2f7a04b1e0")
    #expect(record.document == value)
  }

  @Test func renamesLegacyIdToUnderscoreId() throws {
    let value = annotation(["_id": nil, "id": .string("abc")])
    let record = try NimbusDocuments.annotation(value, at: "")
    #expect(record.id == "abc")
    #expect(record.document["_id"] == .string("abc"))
    #expect(record.document["id"] == nil)
  }

  @Test(
    arguments: [
      (["tags": .string("nucleus")], "/a/tags", "must be an array of strings"),
      (["tags": .array([.number(1)])], "/a/tags/0", "strings only"),
      (["channel": .string("0")], "/a/channel", "must be an integer"),
      (["channel": .number(1.5)], "/a/channel", "must be an integer"),
      (["shape": .string("circle")], "/a/shape", "unknown shape \"circle\""),
      (["coordinates": .array([])], "/a/coordinates", "at least one point"),
      (
        ["coordinates": .array([.object([JSONMember("x", .number(1))])])], "/a/coordinates/0",
        "both \"x\" and \"y\""
      ),
      (["location": .object([JSONMember("XY", .string("1"))])], "/a/location/XY", "integer"),
      (["name": .number(3)], "/a/name", "string or null"),
      (["_id": .string("../x")], "/a/_id", "not a plain token"),
      (["_id": .string("a/b")], "/a/_id", "not a plain token"),
      (["_id": .string("")], "/a/_id", "empty"),
      (["_id": .string(String(repeating: "a", count: 200))], "/a/_id", "at most 128"),
      (["_id": nil], "/a", "no \"_id\""),
      (["shape": nil], "/a", "no \"shape\""),
    ] as [([String: JSONValue?], String, String)])
  func refusesInvalidAnnotation(changes: [String: JSONValue?], pointer: String, message: String) {
    #expect {
      _ = try NimbusDocuments.annotation(annotation(changes), at: "/a")
    } throws: { error in
      guard let error = error as? RecordError else { return false }
      return error.pointer == pointer && error.message.contains(message)
    }
  }

  @Test func propertyValuesAllowNestedObjectsButNotArraysOrBooleans() throws {
    let nested: JSONValue = .object([
      JSONMember(
        "66a2023c8c1d4e2f7a04b1f4",
        .object([
          JSONMember("Intensity", .object([JSONMember("median", .null)])),
          JSONMember("Phase", .string("G1")),
        ]))
    ])
    #expect(try NimbusDocuments.values(nested, at: "") == nested)
    #expect(try NimbusDocuments.values(.object([]), at: "") == nil)
    #expect(throws: RecordError.self) {
      try NimbusDocuments.values(.object([JSONMember("p1", .array([]))]), at: "")
    }
    #expect(throws: RecordError.self) {
      try NimbusDocuments.values(.object([JSONMember("p1", .bool(true))]), at: "")
    }
  }

  @Test func connectionNeedsTokenEnds() throws {
    let good: JSONValue = .object([
      JSONMember("_id", .string("c1")), JSONMember("parentId", .string("a1")),
      JSONMember("childId", .string("a2")), JSONMember("tags", .array([])),
      JSONMember("label", .string("A Connection -- automatic")),
    ])
    let ends = NimbusDocuments.connectionEnds(try NimbusDocuments.connection(good, at: "").document)
    #expect(ends?.parent == "a1")
    #expect(ends?.child == "a2")
    let bad: JSONValue = .object([
      JSONMember("_id", .string("c1")), JSONMember("parentId", .string("../a1")),
      JSONMember("childId", .string("a2")),
    ])
    #expect(throws: RecordError.self) { try NimbusDocuments.connection(bad, at: "") }
  }

  @Test func recordIDRule() {
    #expect(RecordID.isValid("66a1f8e08c1d4e2f7a04b1e0"))
    #expect(RecordID.isValid("A_b-9"))
    for bad in ["", "a b", "a/b", "..", "é", String(repeating: "x", count: 129)] {
      #expect(!RecordID.isValid(bad))
    }
  }
}
