import Foundation

/// Generates NimbusImage-like exports for tests and benchmarks: polygons of 8-24 vertices,
/// connections, properties and property values, deterministic for a seed.
struct ExportGenerator {
  var random: SeededGenerator
  /// Adds escapes, non-ASCII text and odd numbers to exercise the parser harder.
  var varied: Bool
  /// Coordinates as NimbusImage polygons mostly have them (`669.0`, `655.5`, a few with 15
  /// digits) instead of the harsher default mix (a quarter with 17 significant digits).
  var pixelCoordinates: Bool

  init(seed: UInt64, varied: Bool = false, pixelCoordinates: Bool = false) {
    random = SeededGenerator(seed: seed)
    self.varied = varied
    self.pixelCoordinates = pixelCoordinates
  }

  mutating func hexId() -> String {
    var text = ""
    for _ in 0..<24 { text.append("0123456789abcdef".randomElement(using: &random)!) }
    return text
  }

  mutating func coordinate() -> String {
    if pixelCoordinates {
      switch Int.random(in: 0..<10, using: &random) {
      case 0..<7: return "\(Int.random(in: 0..<2048, using: &random)).0"
      case 7..<9: return "\(Int.random(in: 0..<2048, using: &random)).5"
      default:
        return "\(Int.random(in: 0..<2048, using: &random))."
          + String(Int.random(in: 100_000_000_000...999_999_999_999, using: &random))
      }
    }
    switch Int.random(in: 0..<4, using: &random) {
    case 0: return "\(Int.random(in: 0..<2048, using: &random)).0"
    case 1: return "\(Int.random(in: 0..<2048, using: &random)).5"
    case 2: return String(Double.random(in: 0..<2048, using: &random))
    default: return "\(Int.random(in: 0..<2048, using: &random))"
    }
  }

  mutating func name(_ index: Int) -> String {
    guard varied else { return "Cell \(index)" }
    switch index % 5 {
    case 0: return "Cell \\\"\(index)\\\" \\u00e9\\ud83d\\ude00"
    case 1: return "Zelle \(index) – größer 😀"
    case 2: return "tab\\tnew\\nline \\/ \(index)"
    default: return "Cell \(index)"
    }
  }

  /// One export with `annotations` annotations (and a few connections and properties).
  mutating func export(annotations count: Int, pretty: Bool = false) -> [UInt8] {
    var out = ""
    out.reserveCapacity(count * 700)
    let newline = pretty ? "\n" : ""
    let indent = pretty ? "  " : ""
    var ids: [String] = []
    out += "{" + newline + indent + "\"annotations\":" + (pretty ? " [" : "[") + newline
    for index in 0..<count {
      let id = hexId()
      ids.append(id)
      if index > 0 { out += "," + newline }
      out += indent + indent
      out += "{\"_id\":\"\(id)\",\"tags\":[\"nucleus\"],\"shape\":\"polygon\",\"channel\":0,"
      out += "\"location\":{\"XY\":0,\"Z\":\(index % 5),\"Time\":\(index % 3)},"
      out += "\"datasetId\":\"66a1f0c25b7e9a3c1d1a2b3c\",\"coordinates\":["
      for vertex in 0..<Int.random(in: 8...24, using: &random) {
        if vertex > 0 { out += "," }
        out += "{\"x\":\(coordinate()),\"y\":\(coordinate())}"
      }
      out += "],\"name\":\"\(name(index))\"}"
    }
    out += newline + indent + "]," + newline
    out += indent + "\"annotationConnections\":["
    for index in 0..<max(count / 10, 1) where ids.count >= 2 {
      if index > 0 { out += "," }
      out += "{\"_id\":\"\(hexId())\",\"parentId\":\"\(ids[index % ids.count])\","
      out += "\"childId\":\"\(ids[(index + 1) % ids.count])\",\"label\":\"link\",\"tags\":[]}"
    }
    out += "]," + newline
    let propertyIds = (0..<3).map { _ in hexId() }
    out += indent + "\"annotationProperties\":["
    for (index, id) in propertyIds.enumerated() {
      if index > 0 { out += "," }
      out +=
        "{\"_id\":\"\(id)\",\"name\":\"Blob metrics \(index)\",\"tags\":{\"tags\":[\"nucleus\"],\"exclusive\":false},"
      out +=
        "\"shape\":\"polygon\",\"workerInterface\":{},\"workerImage\":\"properties/blob_metrics:latest\"}"
    }
    out += "]," + newline
    out += indent + "\"annotationPropertyValues\":{" + newline
    for (index, id) in ids.enumerated() {
      if index > 0 { out += "," + newline }
      let area = Double(Int.random(in: 100...5000, using: &random))
      let perimeter = Double(Int.random(in: 1000...30000, using: &random)) / 100
      out +=
        indent + indent
        + "\"\(id)\":{\"\(propertyIds[0])\":{\"Area\":\(area),\"Perimeter\":\(perimeter)}"
      if varied && index % 7 == 0 {
        out +=
          ",\"\(propertyIds[1])\":{\"Intensity\":{\"mean\":988.91,\"max\":2615.0,\"min\":-1e-7,\"big\":1.5e300},\"n\":null,\"ok\":true}"
      }
      out += "}"
    }
    out += newline + indent + "}" + newline + "}" + newline
    return Array(out.utf8)
  }
}
