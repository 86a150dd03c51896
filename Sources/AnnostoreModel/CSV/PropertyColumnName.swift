/// Turns the column names and dotted paths a user types into property paths.
public enum PropertyColumnName {
  /// A column name as the CSV header shows it (`nucleus Blob Intensity / Intensity / mean`)
  /// → its path. The property name is the longest leading part (split at " / ") that names
  /// exactly one property, so names holding " / " themselves still resolve.
  /// `properties`: every property of the dataset, id → name.
  public static func resolve(_ column: String, properties: [String: String])
    throws(CSVSelectionError) -> PropertyPath
  {
    let parts = split(column, at: " / ")
    for count in stride(from: parts.count, through: 1, by: -1) {
      let name = parts[..<count].joined(separator: " / ")
      let ids = properties.filter { $0.value == name }.map(\.key).sorted()
      if ids.count > 1 {
        throw CSVSelectionError(
          .ambiguous, "several properties are named \"\(name)\" (\(ids.joined(separator: ", ")))",
          hint: "Name the column by property id instead: --path \(ids[0])"
            + parts[count...].map { "." + $0 }.joined())
      }
      if let id = ids.first { return PropertyPath(id, Array(parts[count...])) }
    }
    let known = Set(properties.values).sorted().map { "\"\($0)\"" }.joined(separator: ", ")
    throw CSVSelectionError(
      .unknown, "no property is named \"\(parts[0])\" (nor any longer part of \"\(column)\")",
      hint: known.isEmpty
        ? "The dataset has no properties." : "Properties of the dataset: \(known).")
  }

  /// `text` cut at every occurrence of `separator` (empty pieces kept).
  static func split(_ text: String, at separator: String) -> [String] {
    var parts: [String] = []
    var rest = Substring(text)
    while let range = rest.firstRange(of: separator) {
      parts.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    parts.append(String(rest))
    return parts
  }

  /// A dotted path (`propertyId.Intensity.mean`, NimbusImage's `path.join(".")`) → its path.
  public static func parseDotted(_ text: String) throws(CSVSelectionError) -> PropertyPath {
    let components = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard let path = PropertyPath(components: components) else {
      throw CSVSelectionError(
        .invalid, "empty property path", hint: "Write it as PROPERTYID.sub.sub.")
    }
    if let problem = RecordID.problem(with: path.propertyID) {
      throw CSVSelectionError(
        .invalid, "property path \"\(text)\": \(problem)", hint: "Write it as PROPERTYID.sub.sub.")
    }
    return path
  }
}

/// A property selection that names nothing in the dataset, with what to do instead.
public struct CSVSelectionError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong with the selection.
  public enum Kind: Sendable, Equatable {
    /// No property has the name.
    case unknown
    /// Several properties have the name.
    case ambiguous
    /// The text is not a path at all.
    case invalid
  }

  public var kind: Kind
  public var message: String
  public var hint: String
  public init(_ kind: Kind, _ message: String, hint: String) {
    self.kind = kind
    self.message = message
    self.hint = hint
  }
  public var description: String { message }
}
