/// A place in an annotation's property values: a property id, then the sub-keys leading
/// into its nested value (`[propertyId, "Intensity", "mean"]` in NimbusImage's requests).
public struct PropertyPath: Hashable, Sendable, CustomStringConvertible {
  /// The property the path starts at.
  public var propertyID: String
  /// The keys below the property's value, outermost first; empty for the whole value.
  public var keys: [String]

  /// A path from its property id and sub-keys.
  public init(_ propertyID: String, _ keys: [String] = []) {
    self.propertyID = propertyID
    self.keys = keys
  }

  /// A path from NimbusImage's array form; nil for an empty array.
  public init?(components: [String]) {
    guard let first = components.first else { return nil }
    self.init(first, Array(components.dropFirst()))
  }

  /// NimbusImage's array form: the property id, then the keys.
  public var components: [String] { [propertyID] + keys }

  /// The path as NimbusImage's frontend writes it (`path.join(".")`), also the form
  /// `--path` takes.
  public var description: String { components.joined(separator: ".") }

  /// The CSV column name: the property's name, then the keys, joined with " / ".
  public func columnName(propertyName: String) -> String {
    ([propertyName] + keys).joined(separator: " / ")
  }

  /// The value at this path in one annotation's values object (`{propertyId: value}`):
  /// nil when a step is missing or passes through something that is not an object.
  public func value(in values: JSONValue?) -> JSONValue? {
    guard var node = values?[propertyID] else { return nil }
    for key in keys {
      guard let next = node[key] else { return nil }
      node = next
    }
    return node
  }
}
