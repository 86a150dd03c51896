// Reading tree objects back from their content bytes (for trees not yet in a repository).

extension GitObjectFormat {
  /// The entries of a tree object's content, in stored order; nil when the bytes are not
  /// a well-formed tree.
  public static func treeEntries(_ content: [UInt8]) -> [TreeEntry]? {
    var entries: [TreeEntry] = []
    var position = 0
    let end = content.count
    while position < end {
      guard let space = content[position..<end].firstIndex(of: UInt8(ascii: " ")) else {
        return nil
      }
      let isTree = content[position..<space].elementsEqual(treeModeBytes)
      guard let zero = content[(space + 1)..<end].firstIndex(of: 0), zero + 21 <= end else {
        return nil
      }
      let name = String(decoding: content[(space + 1)..<zero], as: UTF8.self)
      let id = content.withUnsafeBytes {
        ObjectID(rawBytes: UnsafeRawBufferPointer(rebasing: $0[(zero + 1)..<(zero + 21)]))
      }
      entries.append(TreeEntry(name: name, id: id, isTree: isTree))
      position = zero + 21
    }
    return entries
  }

  private static let treeModeBytes = Array("40000".utf8)
}
