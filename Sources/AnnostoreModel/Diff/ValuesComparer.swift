/// Compares two versions of one annotation's property values leaf by leaf. A leaf is a
/// number, string, `null` or empty object at the end of a path `[propertyId, sub, ...]`
/// (FORMAT.md §4.7); a path that exists on one side only is an added or removed leaf.
public enum ValuesComparer {
  /// How the values differ; nil when they are the same (or absent) in both. Leaves come in
  /// path order.
  public static func compare(
    annotationId: String, before: JSONValue?, after: JSONValue?, names: PropertyNames,
    cache: ColumnCache? = nil
  ) -> ValuesDiff? {
    let change: ChangeType
    switch (before, after) {
    case (nil, nil): return nil
    case (nil, _): change = .added
    case (_, nil): change = .removed
    default: change = .modified
    }
    var old: [[String]: JSONValue] = [:]
    var new: [[String]: JSONValue] = [:]
    if let before { collect(before, path: [], into: &old) }
    if let after { collect(after, path: [], into: &new) }
    let paths = Set(old.keys).union(new.keys).sorted(by: precedes)
    var entries: [ValueEntryChange] = []
    for path in paths {
      let a = old[path]
      let b = new[path]
      guard !JSONEquivalence.equal(a, b) else { continue }
      let (shared, column) = cache?.column(path, names) ?? (path, names.column(path))
      entries.append(ValueEntryChange(path: shared, column: column, before: a, after: b))
    }
    if change == .modified, entries.isEmpty { return nil }
    return ValuesDiff(id: annotationId, change: change, entries: entries)
  }

  /// Every leaf of a values object by path.
  public static func leaves(_ values: JSONValue) -> [[String]: JSONValue] {
    var result: [[String]: JSONValue] = [:]
    collect(values, path: [], into: &result)
    return result
  }

  private static func collect(
    _ value: JSONValue, path: [String], into result: inout [[String]: JSONValue]
  ) {
    if case .object(let members) = value, !members.isEmpty {
      for member in members { collect(member.value, path: path + [member.key], into: &result) }
    } else if !path.isEmpty {
      result[path] = value
    }
  }

  /// Paths in order of their components, each compared by UTF-8 bytes.
  static func precedes(_ a: [String], _ b: [String]) -> Bool {
    for (x, y) in zip(a, b) where x != y {
      return x.utf8.lexicographicallyPrecedes(y.utf8)
    }
    return a.count < b.count
  }
}
