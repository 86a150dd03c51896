/// The JSON body of NimbusImage's CSV request (`POST /export/csv`, FORMAT.md §4.1), which
/// `export csv --request FILE` takes to produce exactly that export.
public struct CSVRequest: Sendable, Equatable {
  /// The property columns, in request order (empty paths are left out).
  public var propertyPaths: [PropertyPath]
  /// The rows: nil for every annotation, else exactly these (`[]`: header only). Ids not in
  /// the dataset are skipped; rows keep the export's order, not this list's.
  public var annotationIDs: [String]?
  /// Delimiter, undefined value and column-name sanitising.
  public var format: CSVFormat

  public init(propertyPaths: [PropertyPath], annotationIDs: [String]?, format: CSVFormat) {
    self.propertyPaths = propertyPaths
    self.annotationIDs = annotationIDs
    self.format = format
  }

  /// Reads a request body. `propertyPaths` (default none), `undefinedValue` (default ""),
  /// `delimiter` (only "\t" gives tabs; anything else is "," as NimbusImage does),
  /// `sanitizeColumnNames` (default false), `annotationIds` (absent or null: all);
  /// `datasetId` and `filename` are accepted and ignored (the dataset and the file are
  /// chosen on the command line); any other key is refused, so a misspelt field is not
  /// silently dropped. Ids must be store ids (plain tokens), as NimbusImage
  /// refuses ids that are not ObjectIds.
  public init(json: JSONValue) throws(RecordError) {
    guard case .object(let members) = json else {
      throw RecordError("the request must be a JSON object, not \(json.typeDescription)", at: "")
    }
    var paths: [PropertyPath] = []
    var ids: [String]?
    var format = CSVFormat()
    for member in members {
      let at = "/" + member.key
      switch member.key {
      case "propertyPaths": paths = try Self.paths(member.value, at: at)
      case "annotationIds":
        if member.value != .null { ids = try Self.ids(member.value, at: at) }
      case "undefinedValue":
        guard case .string(let text) = member.value else {
          throw RecordError(
            "\"undefinedValue\" must be a string, not \(member.value.typeDescription)", at: at)
        }
        format.undefinedValue = text
      case "delimiter":
        format.delimiter = member.value == .string("\t") ? .tab : .comma
      case "sanitizeColumnNames":
        switch member.value {
        case .bool(let flag): format.sanitizeColumnNames = flag
        case .null: format.sanitizeColumnNames = false
        default:
          throw RecordError(
            "\"sanitizeColumnNames\" must be true or false, not \(member.value.typeDescription)",
            at: at)
        }
      case "datasetId", "filename": continue
      default:
        throw RecordError(
          "unknown key \"\(member.key)\" (a CSV request has propertyPaths, undefinedValue, "
            + "delimiter, sanitizeColumnNames, annotationIds, datasetId, filename)", at: at)
      }
    }
    self.init(propertyPaths: paths, annotationIDs: ids, format: format)
  }

  private static func paths(_ value: JSONValue, at pointer: String) throws(RecordError)
    -> [PropertyPath]
  {
    guard case .array(let elements) = value else {
      throw RecordError(
        "\"propertyPaths\" must be an array of paths, not \(value.typeDescription)", at: pointer)
    }
    var paths: [PropertyPath] = []
    for (index, element) in elements.enumerated() {
      let at = pointer + "/\(index)"
      guard case .array(let parts) = element else {
        throw RecordError(
          "a property path must be an array of strings, not \(element.typeDescription)", at: at)
      }
      var components: [String] = []
      for (position, part) in parts.enumerated() {
        guard case .string(let text) = part else {
          throw RecordError(
            "a property path must hold strings only, found \(part.typeDescription)",
            at: at + "/\(position)")
        }
        components.append(text)
      }
      guard let path = PropertyPath(components: components) else { continue }
      if let problem = RecordID.problem(with: path.propertyID) {
        throw RecordError("property id: \(problem)", at: at + "/0")
      }
      paths.append(path)
    }
    return paths
  }

  private static func ids(_ value: JSONValue, at pointer: String) throws(RecordError) -> [String] {
    guard case .array(let elements) = value else {
      throw RecordError(
        "\"annotationIds\" must be an array of ids, not \(value.typeDescription)", at: pointer)
    }
    var ids: [String] = []
    ids.reserveCapacity(elements.count)
    for (index, element) in elements.enumerated() {
      guard case .string(let id) = element else {
        throw RecordError(
          "an annotation id must be a string, not \(element.typeDescription)",
          at: pointer + "/\(index)")
      }
      if let problem = RecordID.problem(with: id) {
        throw RecordError(problem, at: pointer + "/\(index)")
      }
      ids.append(id)
    }
    return ids
  }
}
