@testable import AnnostoreModel

/// Small records for the diff tests, in NimbusImage's server shape.
enum DiffFixtures {
  static let nucleusID = "66a1f8e08c1d4e2f7a04b1e0"
  static let spotID = "66a1f8e08c1d4e2f7a04b1e1"
  static let newID = "66a1f8e08c1d4e2f7a04b1f0"
  static let blobProperty = "66a2f8e08c1d4e2f7a04b1f3"
  static let phaseProperty = "66a2f8e08c1d4e2f7a04b1f7"

  static func object(_ members: [(String, JSONValue)]) -> JSONValue {
    .object(members.map { JSONMember($0.0, $0.1) })
  }

  static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

  /// A square polygon of `side` pixels at (`x`, `y`), `vertices` corners along its edge.
  static func polygon(x: Double, y: Double, vertices: Int = 4) -> JSONValue {
    .array(
      (0..<vertices).map { index in
        object([("x", .number(x + Double(index))), ("y", .number(y + Double(index % 2)))])
      })
  }

  static func annotation(
    id: String = nucleusID, tags: [String] = ["nucleus"], shape: String = "polygon",
    location: (Double, Double, Double) = (0, 2, 0), channel: Double = 0,
    coordinates: JSONValue = polygon(x: 100, y: 200), extra: [(String, JSONValue)] = []
  ) -> JSONValue {
    object(
      [
        ("_id", .string(id)),
        ("tags", strings(tags)),
        ("shape", .string(shape)),
        ("channel", .number(channel)),
        (
          "location",
          object([
            ("XY", .number(location.0)), ("Z", .number(location.1)),
            ("Time", .number(location.2)),
          ])
        ),
        ("datasetId", .string("66a1f0c25b7e9a3c1d1a2b3c")),
        ("coordinates", coordinates),
      ] + extra)
  }

  static func values(area: Double, phase: JSONValue = .string("G1")) -> JSONValue {
    object([
      (
        blobProperty,
        object([("Area", .number(area)), ("Perimeter", .number(167.14))])
      ),
      (phaseProperty, object([("Phase", phase)])),
    ])
  }

  static let names = PropertyNames([
    blobProperty: "nucleus Blob Metrics", phaseProperty: "Cell Cycle",
  ])
}
