import AnnostoreGit

/// One record of a dataset listing: its id and its blob. The id is held as its
/// `RecordIDKey`, which is the whole id when it is at most 24 bytes long (as record ids
/// mostly are), with the text kept only for longer ids. A million listed records are then
/// no million heap strings: copying, ordering and freeing them touches no reference
/// counts, which on a cold string costs a cache miss each.
struct ListedRecord: Sendable {
  let key: RecordIDKey
  /// The id, only when it is longer than the key holds.
  private let longID: String?
  let blob: ObjectID

  init(id: String, blob: ObjectID) {
    key = RecordIDKey(id)
    longID = id.utf8.count > RecordIDKey.byteCount ? id : nil
    self.blob = blob
  }

  /// The record id.
  var id: String { longID ?? key.text }

  /// Whether `a` comes before `b` in id order (ids' bytes).
  static func precedes(_ a: ListedRecord, _ b: ListedRecord) -> Bool {
    RecordIDKey.precedes(a.key, a.id, b.key, b.id)
  }

  /// Whether `a` and `b` have the same id.
  static func sameID(_ a: ListedRecord, _ b: ListedRecord) -> Bool {
    a.key == b.key && a.longID == b.longID
  }
}
