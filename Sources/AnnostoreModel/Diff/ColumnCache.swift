/// Remembers each path met and its column name, so that entries of the same path share one
/// copy of both (a diff of a million annotations has only a few dozen distinct paths).
/// Not thread-safe: one cache per thread.
public final class ColumnCache {
  private var known: [[String]: (path: [String], column: String)] = [:]

  public init() {}

  /// The shared copy of `path` and its column name.
  public func column(_ path: [String], _ names: PropertyNames) -> ([String], String) {
    if let found = known[path] { return found }
    let entry = (path, names.column(path))
    known[path] = entry
    return entry
  }
}
