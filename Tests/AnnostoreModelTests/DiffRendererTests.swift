import Testing

@testable import AnnostoreModel

@Suite struct DiffRendererTests {
  typealias F = DiffFixtures

  /// One dataset with a change of every kind.
  static func sample() -> RevisionDiff {
    let nucleusBefore = F.annotation(coordinates: F.polygon(x: 100, y: 200, vertices: 16))
    let nucleusAfter = F.annotation(
      tags: ["nucleus", "bright"], coordinates: F.polygon(x: 101.5, y: 202, vertices: 16))
    let spot = F.annotation(
      id: F.spotID, tags: ["spot"], shape: "point", location: (1, 0, 4),
      coordinates: .array([F.object([("x", .number(5)), ("y", .number(6))])]))
    let added = F.annotation(
      id: F.newID, location: (0, 2, 0), coordinates: F.polygon(x: 10, y: 10, vertices: 16),
      extra: [("name", .string("cell 7"))])
    let connection = F.object([
      ("_id", .string("66a3f8e08c1d4e2f7a04b1e0")), ("parentId", .string(F.nucleusID)),
      ("childId", .string(F.spotID)), ("tags", F.strings([])),
      ("label", .string("A Connection -- automatic")),
    ])
    let propertyBefore = F.object([
      ("_id", .string(F.blobProperty)), ("name", .string("nucleus Blob Metrics")),
      ("image", .string("properties/blob_metrics:latest")), ("shape", .string("polygon")),
    ])
    let propertyAfter = F.object([
      ("_id", .string(F.blobProperty)), ("name", .string("nucleus Blob Metrics")),
      ("image", .string("properties/blob_metrics:v2")), ("shape", .string("polygon")),
    ])
    let dataset = DatasetDiff(
      name: "hela", status: .modified,
      annotations: [
        RecordComparer.annotation(id: F.nucleusID, before: nucleusBefore, after: nucleusAfter)!,
        RecordComparer.annotation(id: F.spotID, before: spot, after: nil)!,
        RecordComparer.annotation(id: F.newID, before: nil, after: added)!,
      ],
      connections: [
        RecordComparer.connection(id: "66a3f8e08c1d4e2f7a04b1e0", before: connection, after: nil)!
      ],
      properties: [
        RecordComparer.property(id: F.blobProperty, before: propertyBefore, after: propertyAfter)!
      ],
      values: [
        ValuesComparer.compare(
          annotationId: F.nucleusID, before: F.values(area: 2170), after: F.values(area: 2210),
          names: F.names)!,
        ValuesComparer.compare(
          annotationId: F.spotID, before: F.object([("p9", .number(0.5))]), after: nil,
          names: F.names)!,
      ])
    return RevisionDiff(
      from: "1111111111111111111111111111111111111111",
      to: "2222222222222222222222222222222222222222", datasets: [dataset])
  }

  @Test func textGolden() throws {
    let text = try DiffTextRenderer.lines(Self.sample()).joined(separator: "\n")
    #expect(
      text == """
        diff 111111111111..222222222222
        hela: annotations +1 -1 ~1, connections -1, properties ~1, values -1 ~1
        ~ annotation 66a1f8e08c1d4e2f7a04b1e0: tags +bright; coordinates: 16 of 16 vertices moved, \
        at most 2.5 px
        - annotation 66a1f8e08c1d4e2f7a04b1e1 point [spot] at XY 2 Z 1 T 5 (1 vertex)
        + annotation 66a1f8e08c1d4e2f7a04b1f0 polygon [nucleus] "cell 7" at XY 1 Z 3 T 1 (16 vertices)
        - connection 66a3f8e08c1d4e2f7a04b1e0 66a1f8e08c1d4e2f7a04b1e0 → 66a1f8e08c1d4e2f7a04b1e1 [] \
        "A Connection -- automatic"
        ~ property 66a2f8e08c1d4e2f7a04b1f3 "nucleus Blob Metrics": image \
        "properties/blob_metrics:latest" → "properties/blob_metrics:v2"
        ~ values 66a1f8e08c1d4e2f7a04b1e0: nucleus Blob Metrics / Area: 2170 → 2210
        - values 66a1f8e08c1d4e2f7a04b1e1: p9 = 0.5
        """)
  }

  @Test func statGolden() throws {
    let text = try DiffStatRenderer.lines(Self.sample()).joined(separator: "\n")
    #expect(
      text == """
        diff 111111111111..222222222222
        hela                added   removed  modified
          annotations           1         1         1
          connections           0         1         0
          properties            0         0         1
          values                0         1         1
          annotations by tag:
            bright              0         0         1
            nucleus             1         0         1
            spot                0         1         0
        """)
  }
}
