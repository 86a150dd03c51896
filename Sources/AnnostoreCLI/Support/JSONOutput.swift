import AnnostoreModel
import AnnostoreStore

/// Prints machine-readable output: one canonical JSON document per command.
enum JSONOutput {
  static func print(_ value: JSONValue) {
    var bytes: [UInt8] = []
    CanonicalJSON.encode(value, into: &bytes)
    Swift.print(String(decoding: bytes, as: UTF8.self))
  }

  static func counts(_ counts: [RecordKind: Int]) -> JSONValue {
    .object(
      RecordKind.allCases.compactMap { kind in
        counts[kind].map { JSONMember(kind.rawValue, .number(Double($0))) }
      })
  }

  static func string(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
}

extension String {
  /// The first 12 hex digits of a commit id, as people read them.
  var shortCommit: String { String(prefix(12)) }
}
