// The byte layout of tree, commit and tag objects, exactly as git writes them, so that ids
// computed here equal the ones git computes.

import CDeflate

/// Serialises git objects the way git hashes and stores them.
public enum GitObjectFormat {
  /// The id git gives an object of `kind` with this content.
  public static func id(of kind: ObjectKind, _ content: [UInt8]) -> ObjectID {
    content.withUnsafeBytes { id(of: kind, bytes: $0) }
  }

  /// The content of a tree object holding `entries`, sorted as git sorts them
  /// (a subtree compares as its name followed by `/`).
  public static func treeContent(_ entries: [TreeEntry]) -> [UInt8] {
    // Each name is compared bytewise; a tree's name is compared as if it ended in "/".
    var keyed = entries.map { entry -> (key: [UInt8], entry: TreeEntry) in
      var key = Array(entry.name.utf8)
      if entry.isTree { key.append(UInt8(ascii: "/")) }
      return (key, entry)
    }
    keyed.sort { $0.key.lexicographicallyPrecedes($1.key) }
    var capacity = 0
    for item in keyed { capacity += item.key.count + 28 }
    var out = [UInt8]()
    out.reserveCapacity(capacity)
    for item in keyed {
      out.append(contentsOf: item.entry.isTree ? treeMode : blobMode)
      out.append(UInt8(ascii: " "))
      out.append(contentsOf: item.entry.name.utf8)
      out.append(0)
      appendRaw(item.entry.id, to: &out)
    }
    return out
  }

  /// The content of a commit object.
  public static func commitContent(
    tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature, message: String
  ) -> [UInt8] {
    var text = "tree \(tree.hex)\n"
    for parent in parents { text += "parent \(parent.hex)\n" }
    text += "author \(identity(author))\n"
    text += "committer \(identity(committer))\n\n"
    text += withFinalNewline(message)
    return Array(text.utf8)
  }

  /// The content of an annotated tag object.
  public static func tagContent(
    target: ObjectID, targetKind: ObjectKind, name: String, tagger: Signature, message: String
  ) -> [UInt8] {
    var text = "object \(target.hex)\ntype \(targetKind.gitName)\ntag \(name)\n"
    text += "tagger \(identity(tagger))\n\n"
    text += withFinalNewline(message)
    return Array(text.utf8)
  }

  /// The object an annotated tag points at (its `object <id>` line), nil when `content`
  /// does not start with one.
  static func tagTarget(_ content: [UInt8]) -> ObjectID? {
    let prefix = Array("object ".utf8)
    guard content.count >= prefix.count + 40, Array(content[0..<prefix.count]) == prefix else {
      return nil
    }
    return ObjectID(
      hex: String(decoding: content[prefix.count..<(prefix.count + 40)], as: UTF8.self))
  }

  /// SHA-1 of arbitrary bytes (not a git object hash), as 40 lowercase hex digits.
  public static func sha1Hex(_ bytes: [UInt8]) -> String {
    bytes.withUnsafeBytes { sha1($0) }.hex
  }

  private static let blobMode = Array("100644".utf8)
  private static let treeMode = Array("40000".utf8)

  private static func appendRaw(_ id: ObjectID, to out: inout [UInt8]) {
    withUnsafeBytes(of: (id.bytes.0.bigEndian, id.bytes.1.bigEndian, id.bytes.2.bigEndian)) {
      out.append(contentsOf: $0.prefix(20))
    }
  }

  /// `Name <email> <seconds> <+hhmm>`, the identity line git writes. Characters that would
  /// break the line's structure (`<`, `>`, newline, NUL) are dropped, as git refuses them.
  static func identity(_ signature: Signature) -> String {
    let offset = signature.offsetMinutes
    let sign = offset < 0 ? "-" : "+"
    let magnitude = Int(offset.magnitude)
    let hours = magnitude / 60
    let minutes = magnitude % 60
    let zone = sign + twoDigits(hours) + twoDigits(minutes)
    return "\(clean(signature.name)) <\(clean(signature.email))> \(signature.time) \(zone)"
  }

  private static func twoDigits(_ value: Int) -> String {
    value < 10 ? "0\(value)" : "\(value)"
  }

  private static func clean(_ text: String) -> String {
    func isBreaking(_ byte: UInt8) -> Bool {
      byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == 10 || byte == 0
    }
    guard text.utf8.contains(where: isBreaking) else { return text }
    return String(decoding: text.utf8.filter { !isBreaking($0) }, as: UTF8.self)
  }

  /// Commit and tag messages end in a newline, as git writes them (an empty one stays empty).
  private static func withFinalNewline(_ message: String) -> String {
    message.isEmpty || message.utf8.last == 10 ? message : message + "\n"
  }
}
