import AnnostoreGit

/// One record of a dataset listing: its id and its blob. The id is held as its
/// `RecordIDKey`, which is the whole id when it is at most 24 bytes long (as record ids
/// mostly are), with the text kept only for longer ids. A million listed records are then
/// no million heap strings: copying, ordering and freeing them touches no reference
/// counts, which on a cold string costs a cache miss each.
struct ListedRecord: Sendable {
  let compactID: CompactRecordID
  let blob: ObjectID

  init(id: String, blob: ObjectID) {
    compactID = CompactRecordID(id)
    self.blob = blob
  }

  /// The id's place in id order.
  var key: RecordIDKey { compactID.key }

  /// The record id.
  var id: String { compactID.text }

  /// Whether `a` comes before `b` in id order (ids' bytes).
  static func precedes(_ a: ListedRecord, _ b: ListedRecord) -> Bool {
    CompactRecordID.precedes(a.compactID, b.compactID)
  }

  /// Whether `a` and `b` have the same id.
  static func sameID(_ a: ListedRecord, _ b: ListedRecord) -> Bool {
    a.compactID == b.compactID
  }
}
