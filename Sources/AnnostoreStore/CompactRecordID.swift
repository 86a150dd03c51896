/// A record id kept without a string of its own when its `RecordIDKey` holds all of it
/// (every 24-hex ObjectId fits): listing a million records then allocates nothing per id,
/// and sorting them compares words.
struct CompactRecordID: Sendable, Equatable {
  /// The id's place in id order (and the whole id when it is short enough).
  let key: RecordIDKey
  /// The id, only when it is longer than the key holds.
  private let longID: String?

  init(_ id: String) {
    key = RecordIDKey(id)
    longID = id.utf8.count > RecordIDKey.byteCount ? id : nil
  }

  /// The id as text.
  var text: String { longID ?? key.text }

  /// Whether `a` comes before `b` in id order (the ids' bytes).
  static func precedes(_ a: CompactRecordID, _ b: CompactRecordID) -> Bool {
    RecordIDKey.precedes(a.key, a.text, b.key, b.text)
  }
}
