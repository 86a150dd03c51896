/// Names property-value paths the way NimbusImage's CSV export names its columns
/// (FORMAT.md §4.2): the property's name alone for a one-element path, else the name and
/// the sub-keys joined with `" / "`, e.g. `nucleus Blob Metrics / Area`.
public struct PropertyNames: Sendable, Equatable {
  /// Property id → name.
  public var names: [String: String]

  public init(_ names: [String: String] = [:]) { self.names = names }

  /// The names of property definitions, taking each from `preferred` and falling back to
  /// `fallback` (e.g. the newer revision's definitions, then the older one's).
  public init(preferred: [String: JSONValue], fallback: [String: JSONValue] = [:]) {
    var names: [String: String] = [:]
    for source in [fallback, preferred] {
      for (id, document) in source {
        if let name = document["name"]?.stringValue, !name.isEmpty { names[id] = name }
      }
    }
    self.names = names
  }

  /// The column name of a path `[propertyId, sub, ...]`. A property without a name (no
  /// definition in either revision) is named by its id.
  public func column(_ path: [String]) -> String {
    guard let first = path.first else { return "" }
    return ([names[first] ?? first] + path.dropFirst()).joined(separator: " / ")
  }
}
