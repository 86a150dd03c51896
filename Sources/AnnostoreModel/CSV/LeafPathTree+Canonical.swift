/// The leaf-path walk over a store's canonical JSON bytes: the first pass of a large CSV
/// export walks a million values objects, and building a `JSONValue` for each only to
/// learn its keys was most of that pass's work.
extension LeafPathTree {
  /// Walks the values object of the row at `row` (RFC 8785 bytes, as in a store file,
  /// with or without its final newline), noting its leaves as the walk over the parsed
  /// object does: a member whose value is a non-empty object is descended into, any other
  /// member is the row's next leaf.
  ///
  /// Returns false when the bytes need the full parser: a key with an escape, anything
  /// that is not canonical JSON, an object nested deeper than the parser allows. The
  /// leaves noted before stopping are then a prefix of the ones the full walk notes, with
  /// the same sightings, so walking the parsed object afterwards gives the same tree.
  mutating func add(canonical bytes: UnsafeBufferPointer<UInt8>, row: Int) -> Bool {
    var skim = JSONSkimmer(bytes: bytes)
    var leaf = 0
    guard object(&skim, under: Self.root, depth: 1, row: row, leaf: &leaf) else { return false }
    _ = skim.take(UInt8(ascii: "\n"))
    return skim.index == bytes.count
  }

  /// Walks the object at the skimmer's position, whose members are children of `node`.
  private mutating func object(
    _ skim: inout JSONSkimmer, under node: Int, depth: Int, row: Int, leaf: inout Int
  ) -> Bool {
    guard depth <= ParserCore.maximumDepth, skim.take(UInt8(ascii: "{")) else { return false }
    if skim.take(UInt8(ascii: "}")) { return true }
    var cursor = 0
    while true {
      guard let key = skim.plainKey(), skim.take(UInt8(ascii: ":")) else { return false }
      let child = self.child(
        of: node, utf8: UnsafeBufferPointer(rebasing: skim.bytes[key]), cursor: &cursor)
      if skim.peek() == UInt8(ascii: "{"), skim.index + 1 < skim.bytes.count,
        skim.bytes[skim.index + 1] != UInt8(ascii: "}")
      {
        guard object(&skim, under: child, depth: depth + 1, row: row, leaf: &leaf) else {
          return false
        }
      } else {
        guard skim.skipValue() else { return false }
        leaf += 1
        sight(child, row: row, leaf: leaf)
      }
      if skim.take(UInt8(ascii: ",")) { continue }
      return skim.take(UInt8(ascii: "}"))
    }
  }
}
