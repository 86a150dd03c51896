import Foundation

/// The distinct leaf paths a `LeafPathCollector` has seen, as a tree of keys, each path
/// with its last sighting. This is the one place that knows NimbusImage's order (paths by
/// descending last sighting: row ordinal, then leaf within the row) and how sightings
/// merge; the walkers over a `JSONValue` and over canonical bytes only find the nodes.
///
/// Nodes live in one array and are named by index, so the byte walker of a million rows
/// touches no reference counts. A child is found by its key's bytes (most rows repeat the
/// previous row's keys in the same order, so the walker's cursor usually points at it),
/// and otherwise by the key as a `String`: two keys whose bytes differ but whose strings
/// are equal (Swift compares strings by canonical equivalence) are one path, as they were
/// when the children were a `[String: Node]`.
struct LeafPathTree {
  /// One key of a path.
  struct Node {
    /// The key, as first seen.
    let key: String
    /// Where the key's UTF-8 lies in `keyBytes`.
    let keyStart: Int
    let keyCount: Int
    /// The children, in first-seen order.
    var children: [Int] = []
    /// Each child's position in `children`, by key.
    var childPositions: [String: Int] = [:]
    /// The last sighting of a leaf at this path: row ordinal, then leaf within the row
    /// (counted from 1); `Int.min` rows when this path has not been a leaf.
    var lastRow = Int.min
    var lastLeaf = 0
  }

  /// The node of the values object itself; its children are the property ids.
  static let root = 0

  private(set) var nodes = [Node(key: "", keyStart: 0, keyCount: 0)]
  /// The UTF-8 of every node's key, one after the other.
  private var keyBytes: [UInt8] = []

  /// Notes a leaf at `node`, the `leaf`th of the row at `row`, keeping the latest sighting.
  mutating func sight(_ node: Int, row: Int, leaf: Int) {
    let last = (nodes[node].lastRow, nodes[node].lastLeaf)
    guard last < (row, leaf) else { return }
    nodes[node].lastRow = row
    nodes[node].lastLeaf = leaf
  }

  /// The child of `parent` named `key`, made when missing.
  mutating func child(of parent: Int, named key: String) -> Int {
    if let position = nodes[parent].childPositions[key] { return nodes[parent].children[position] }
    return insert(key, under: parent)
  }

  /// The child of `parent` whose key is the UTF-8 `key`, made when missing. `cursor` is
  /// where in the parent's children to look first (the position after the previous
  /// match, as keys tend to come in the same order row after row); it is moved past the
  /// child found.
  mutating func child(
    of parent: Int, utf8 key: UnsafeBufferPointer<UInt8>, cursor: inout Int
  ) -> Int {
    let count = nodes[parent].children.count
    if count > 0 {
      var position = cursor < count ? cursor : 0
      for _ in 0..<min(count, 16) {
        let child = nodes[parent].children[position]
        if nodes[child].keyCount == key.count, keyEquals(child, key) {
          cursor = position + 1
          return child
        }
        position = position + 1 == count ? 0 : position + 1
      }
    }
    let name = String(decoding: key, as: UTF8.self)
    let child = child(of: parent, named: name)
    cursor = nodes[parent].childPositions[name]! + 1
    return child
  }

  /// Whether `node`'s key is `key` (whose length is the key's).
  private func keyEquals(_ node: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = key.baseAddress, !key.isEmpty else { return true }
    return keyBytes.withUnsafeBufferPointer {
      memcmp($0.baseAddress! + nodes[node].keyStart, base, key.count) == 0
    }
  }

  private mutating func insert(_ key: String, under parent: Int) -> Int {
    let node = nodes.count
    let start = keyBytes.count
    keyBytes.append(contentsOf: key.utf8)
    nodes.append(Node(key: key, keyStart: start, keyCount: keyBytes.count - start))
    nodes[parent].childPositions[key] = nodes[parent].children.count
    nodes[parent].children.append(node)
    return node
  }

  /// Takes in the paths and sightings of `other`.
  mutating func merge(_ other: LeafPathTree) {
    merge(other, Self.root, into: Self.root)
  }

  private mutating func merge(_ other: LeafPathTree, _ source: Int, into target: Int) {
    let from = other.nodes[source]
    if from.lastRow != Int.min { sight(target, row: from.lastRow, leaf: from.lastLeaf) }
    for child in from.children {
      merge(other, child, into: self.child(of: target, named: other.nodes[child].key))
    }
  }

  /// The leaf paths in NimbusImage's order, keeping those whose property `includes` accepts.
  func paths(including includes: (String) -> Bool) -> [PropertyPath] {
    var found: [(path: PropertyPath, row: Int, leaf: Int)] = []
    for property in nodes[Self.root].children where includes(nodes[property].key) {
      collect(property, PropertyPath(nodes[property].key), into: &found)
    }
    return found.sorted { ($0.row, $0.leaf) > ($1.row, $1.leaf) }.map(\.path)
  }

  private func collect(
    _ node: Int, _ path: PropertyPath, into found: inout [(path: PropertyPath, row: Int, leaf: Int)]
  ) {
    if nodes[node].lastRow != Int.min {
      found.append((path, nodes[node].lastRow, nodes[node].lastLeaf))
    }
    for child in nodes[node].children {
      var deeper = path
      deeper.keys.append(nodes[child].key)
      collect(child, deeper, into: &found)
    }
  }
}
