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
///
/// The paths live in a `LeafPathTree`, which both walks feed: the one over a parsed
/// `JSONValue` and the one over a store file's canonical bytes (which builds no value).
public final class LeafPathCollector {
  private var tree = LeafPathTree()
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
    for member in members {
      Self.walk(member.key, member.value, under: LeafPathTree.root, ordinal, &leaf, &tree)
    }
  }

  /// Walks the values object of the row at `ordinal` from the bytes of its store file
  /// (canonical JSON), as `add(_:ordinal:)` walks the parsed object, without parsing it.
  /// Returns false when the bytes need the full parser (an escaped key, say); then pass
  /// the parsed object to `add(_:ordinal:)`, which gives the same paths as if this had
  /// succeeded.
  public func add(canonicalValues bytes: UnsafeBufferPointer<UInt8>, ordinal: Int) -> Bool {
    nextOrdinal = max(nextOrdinal, ordinal + 1)
    return tree.add(canonical: bytes, row: ordinal)
  }

  private static func walk(
    _ key: String, _ value: JSONValue, under parent: Int, _ ordinal: Int, _ leaf: inout Int,
    _ tree: inout LeafPathTree
  ) {
    let node = tree.child(of: parent, named: key)
    if case .object(let members) = value, !members.isEmpty {
      for member in members { walk(member.key, member.value, under: node, ordinal, &leaf, &tree) }
    } else {
      leaf += 1
      tree.sight(node, row: ordinal, leaf: leaf)
    }
  }

  /// Takes in what another collector saw.
  public func merge(_ other: LeafPathCollector) {
    nextOrdinal = max(nextOrdinal, other.nextOrdinal)
    let source = other.tree
    tree.merge(source)
  }

  /// The leaf paths in NimbusImage's order, keeping those whose property `includes` accepts.
  public func paths(including includes: (String) -> Bool = { _ in true }) -> [PropertyPath] {
    tree.paths(including: includes)
  }
}
