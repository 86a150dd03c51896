/// NimbusImage's "computed property paths" (FORMAT.md §4.7): the leaf paths of the values,
/// in the order the frontend offers them, which is the default column order of annostore's
/// CSV export.
///
/// NimbusImage pushes every annotation's values object on a stack, then pops: a non-empty
/// object pushes its members in key order, anything else (number, string, null, array,
/// empty object) is a leaf whose path is recorded the first time it is seen. Because of the
/// stack the order is reversed: the last annotation's paths come first, and within an
/// object the last key comes first. That order is the reverse of a forward walk (annotations
/// in order, keys in order, depth first), so a path's place is fixed by its *last* leaf in
/// the forward walk: paths sort by descending last sighting. This collector makes that
/// forward walk one annotation at a time, holding only the distinct paths, never the values;
/// collectors of consecutive parts of the rows can be merged.
///
/// annostore feeds it the annotations in id order with their values as stored; the store's
/// files are canonical JSON, so keys come in RFC 8785 order (NimbusImage uses insertion
/// order, which the store does not keep). A path is one list of keys: two paths whose
/// keys join to the same dotted string both count (NimbusImage's keys never hold a dot).
public final class LeafPathCollector {
  private final class Node {
    var children: [String: Node] = [:]
    /// Where the last leaf at this path was seen: row ordinal, then leaf within the row.
    var lastSeen: (row: Int, leaf: Int)?
  }

  private let root = Node()
  private var nextOrdinal = 0

  public init() {}

  /// Walks one annotation's values object (`{propertyId: value}`); call in row order.
  public func add(_ values: JSONValue) {
    add(values, ordinal: nextOrdinal)
  }

  /// Walks the values object of the row at `ordinal` (rows may come in any order, and
  /// from several collectors merged later; ordinals give the row order).
  public func add(_ values: JSONValue, ordinal: Int) {
    nextOrdinal = max(nextOrdinal, ordinal + 1)
    guard case .object(let members) = values else { return }
    var leaf = 0
    for member in members { walk(member.key, member.value, under: root, ordinal, &leaf) }
  }

  private func walk(
    _ key: String, _ value: JSONValue, under parent: Node, _ ordinal: Int, _ leaf: inout Int
  ) {
    let node: Node
    if let existing = parent.children[key] {
      node = existing
    } else {
      node = Node()
      parent.children[key] = node
    }
    if case .object(let members) = value, !members.isEmpty {
      for member in members { walk(member.key, member.value, under: node, ordinal, &leaf) }
    } else {
      leaf += 1
      let seen = (ordinal, leaf)
      if let last = node.lastSeen, last > seen { return }
      node.lastSeen = seen
    }
  }

  /// Takes in what another collector saw.
  public func merge(_ other: LeafPathCollector) {
    nextOrdinal = max(nextOrdinal, other.nextOrdinal)
    Self.merge(other.root, into: root)
  }

  private static func merge(_ source: Node, into target: Node) {
    if let seen = source.lastSeen, target.lastSeen.map({ $0 < seen }) ?? true {
      target.lastSeen = seen
    }
    for (key, child) in source.children {
      if let existing = target.children[key] {
        merge(child, into: existing)
      } else {
        target.children[key] = child
      }
    }
  }

  /// The leaf paths in NimbusImage's order, keeping those whose property `includes` accepts.
  public func paths(including includes: (String) -> Bool = { _ in true }) -> [PropertyPath] {
    var found: [(PropertyPath, (row: Int, leaf: Int))] = []
    for (propertyID, node) in root.children where includes(propertyID) {
      collect(node, PropertyPath(propertyID), into: &found)
    }
    return found.sorted { $0.1 > $1.1 }.map(\.0)
  }

  private func collect(
    _ node: Node, _ path: PropertyPath, into found: inout [(PropertyPath, (row: Int, leaf: Int))]
  ) {
    if let seen = node.lastSeen { found.append((path, seen)) }
    for (key, child) in node.children {
      var deeper = path
      deeper.keys.append(key)
      collect(child, deeper, into: &found)
    }
  }
}
