// Reading a tree object's content back into entries: the inverse of `treeContent`.

extension GitObjectFormat {
  /// The entries of a tree object whose content is `content`, in stored (git) order.
  ///
  /// Each entry is `<octal mode> <name>\0<20-byte id>`; mode 40000 is a subtree, anything
  /// else (files, symlinks, submodules) is reported as not a tree, as libgit2 reports it.
  public static func treeEntries(_ content: [UInt8]) throws -> [TreeEntry] {
    try content.withUnsafeBytes { try treeEntries(bytes: $0) }
  }

  static func treeEntries(bytes content: UnsafeRawBufferPointer) throws -> [TreeEntry] {
    func damaged(_ reason: String) -> GitError {
      GitError(call: "GitObjectFormat.treeEntries", message: "tree \(reason)", kind: .invalid)
    }
    var entries: [TreeEntry] = []
    var at = 0
    while at < content.count {
      var mode = 0
      var digits = 0
      while at < content.count, content[at] != UInt8(ascii: " ") {
        let digit = Int(content[at]) - Int(UInt8(ascii: "0"))
        guard (0...7).contains(digit), digits < 7 else { throw damaged("entry has a bad mode") }
        mode = mode * 8 + digit
        digits += 1
        at += 1
      }
      guard digits > 0, at < content.count else { throw damaged("entry has no mode") }
      at += 1
      let nameStart = at
      while at < content.count, content[at] != 0 { at += 1 }
      guard at > nameStart, content.count - at >= 21 else {
        throw damaged("entry is cut off")
      }
      let name = String(
        decoding: UnsafeRawBufferPointer(rebasing: content[nameStart..<at]), as: UTF8.self)
      let id = ObjectID(rawBytes: UnsafeRawBufferPointer(rebasing: content[(at + 1)..<(at + 21)]))
      entries.append(TreeEntry(name: name, id: id, isTree: mode == 0o40000))
      at += 21
    }
    return entries
  }
}
