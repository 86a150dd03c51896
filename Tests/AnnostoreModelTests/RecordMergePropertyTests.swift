import Testing

@testable import AnnostoreModel

/// Property-based tests of the record merge on generated records: random edit sets on
/// both sides of a random base, with a seeded generator so failures reproduce.
@Suite struct RecordMergePropertyTests {
  static let plainFields = ["name", "color", "channel", "shape", "location", "coordinates", "x1"]
  static let tagPool = ["nucleus", "spot", "edge", "dividing", "G1", "S", "M", "bad"]

  /// A random value for a plain field, from a small pool so that both sides sometimes make
  /// the same change.
  static func value(_ rng: inout SeededGenerator) -> JSONValue {
    switch Int.random(in: 0..<5, using: &rng) {
    case 0: return .string(["a", "b", "c"].randomElement(using: &rng)!)
    case 1: return .number(Double(Int.random(in: 0..<3, using: &rng)))
    case 2: return .null
    case 3: return .object([JSONMember("XY", .number(Double(Int.random(in: 0..<2, using: &rng))))])
    default:
      return .array([
        .object([
          JSONMember("x", .number(Double(Int.random(in: 0..<2, using: &rng)))),
          JSONMember("y", .number(1)),
        ])
      ])
    }
  }

  static func tags(_ rng: inout SeededGenerator) -> [String] {
    tagPool.filter { _ in Bool.random(using: &rng) }.shuffled(using: &rng)
  }

  /// The edits one side makes: plain fields set (nil: removed), tags added and removed.
  struct Edits {
    var fields: [String: JSONValue?] = [:]
    var addedTags: [String] = []
    var removedTags: Set<String> = []
  }

  static func edits(of base: [String: JSONValue], baseTags: [String], _ rng: inout SeededGenerator)
    -> Edits
  {
    var edits = Edits()
    for field in plainFields where Int.random(in: 0..<3, using: &rng) == 0 {
      let new: JSONValue? = Int.random(in: 0..<4, using: &rng) == 0 ? nil : value(&rng)
      if new != base[field] { edits.fields[field] = .some(new) }
    }
    for tag in tagPool where Int.random(in: 0..<5, using: &rng) == 0 {
      if baseTags.contains(tag) {
        edits.removedTags.insert(tag)
      } else {
        edits.addedTags.append(tag)
      }
    }
    return edits
  }

  static func record(_ fields: [String: JSONValue], tags: [String]) -> JSONValue {
    var members = fields.sorted { $0.key < $1.key }.map { JSONMember($0.key, $0.value) }
    members.append(JSONMember("tags", .array(tags.map { .string($0) })))
    return .object(members)
  }

  static func applying(_ edits: Edits, to fields: [String: JSONValue]) -> [String: JSONValue] {
    var result = fields
    for (field, value) in edits.fields { result[field] = value }
    return result
  }

  static func applying(_ edits: Edits, to tags: [String]) -> [String] {
    tags.filter { !edits.removedTags.contains($0) } + edits.addedTags
  }

  @Test(arguments: 0..<400)
  func fieldsMergeKeepsEveryNonConflictingEdit(seed: Int) {
    var rng = SeededGenerator(seed: UInt64(seed) &* 7919 &+ 17)
    var baseFields: [String: JSONValue] = [:]
    for field in Self.plainFields where Bool.random(using: &rng) {
      baseFields[field] = Self.value(&rng)
    }
    let baseTags = Self.tags(&rng)
    let ourEdits = Self.edits(of: baseFields, baseTags: baseTags, &rng)
    let theirEdits = Self.edits(of: baseFields, baseTags: baseTags, &rng)
    let oursFields = Self.applying(ourEdits, to: baseFields)
    let theirsFields = Self.applying(theirEdits, to: baseFields)
    let ourTags = Self.applying(ourEdits, to: baseTags)
    let theirTags = Self.applying(theirEdits, to: baseTags)
    let base = Self.record(baseFields, tags: baseTags)
    let ours = Self.record(oursFields, tags: ourTags)
    let theirs = Self.record(theirsFields, tags: theirTags)

    let result = RecordMerge.merge(
      id: "r", base: base, ours: ours, theirs: theirs, style: .fields)
    guard let merged = result.merged else {
      Issue.record("a modified record must not vanish")
      return
    }
    // Exactly the fields both sides changed differently conflict.
    let expectedConflicts = Set(
      Self.plainFields.filter { field in
        guard let mine = ourEdits.fields[field], let yours = theirEdits.fields[field] else {
          return false
        }
        return mine != yours
      })
    #expect(Set(result.conflicts.map(\.pathText)) == expectedConflicts)
    for field in Self.plainFields where !expectedConflicts.contains(field) {
      // Every edit of either side is in the merge; untouched fields keep the base.
      let expected = ourEdits.fields[field] ?? theirEdits.fields[field] ?? baseFields[field]
      #expect(merged[field] == expected, "field \(field)")
    }
    // Tags: every addition of both sides, no removed tag, no duplicate.
    let mergedTags = TagSetMerge.tags(merged["tags"]) ?? []
    let removed = ourEdits.removedTags.union(theirEdits.removedTags)
    let expectedTags = Set(baseTags).subtracting(removed)
      .union(ourEdits.addedTags).union(theirEdits.addedTags)
    #expect(Set(mergedTags) == expectedTags)
    #expect(mergedTags.count == Set(mergedTags).count)
    #expect(
      Array(mergedTags.prefix(ourTags.filter(expectedTags.contains).count))
        == ourTags.filter(expectedTags.contains))

    // Settling every conflict one way equals applying the other side's edits, then this
    // side's over them.
    for (side, first, second) in [
      (MergeSide.ours, theirEdits, ourEdits), (MergeSide.theirs, ourEdits, theirEdits),
    ] {
      var settled: JSONValue? = merged
      for conflict in result.conflicts {
        settled = RecordMerge.setting(conflict.value(of: side), at: conflict.path, in: settled)
      }
      let expected = Self.applying(second, to: Self.applying(first, to: baseFields))
      for field in Self.plainFields {
        #expect(settled?[field] == expected[field], "\(side) field \(field)")
      }
    }
  }

  /// A random values object: properties holding a number or an object of leaves.
  static func values(_ rng: inout SeededGenerator) -> [[String]: JSONValue] {
    var leaves: [[String]: JSONValue] = [:]
    for property in ["p1", "p2", "p3"] where Int.random(in: 0..<4, using: &rng) > 0 {
      if Bool.random(using: &rng) {
        leaves[[property]] = .number(Double(Int.random(in: 0..<3, using: &rng)))
      } else {
        for leaf in ["Area", "mean", "max"] where Bool.random(using: &rng) {
          leaves[[property, leaf]] = .number(Double(Int.random(in: 0..<3, using: &rng)))
        }
      }
    }
    return leaves
  }

  static func document(_ leaves: [[String]: JSONValue]) -> JSONValue {
    var result: JSONValue? = .object([])
    for (path, value) in leaves.sorted(by: { $0.key.joined() < $1.key.joined() }) {
      result = RecordMerge.setting(value, at: path, in: result)
    }
    return result ?? .object([])
  }

  @Test(arguments: 0..<300)
  func valuesMergeLeafByLeaf(seed: Int) {
    var rng = SeededGenerator(seed: UInt64(seed) &* 104_729 &+ 3)
    let base = Self.values(&rng)
    guard !base.isEmpty else { return }
    // Each side changes some leaves' numbers (structure kept).
    func edit(_ rng: inout SeededGenerator) -> [[String]: JSONValue] {
      var changes: [[String]: JSONValue] = [:]
      for (path, value) in base where Int.random(in: 0..<3, using: &rng) == 0 {
        let new = JSONValue.number(Double(Int.random(in: 0..<4, using: &rng)))
        if new != value { changes[path] = new }
      }
      return changes
    }
    let ourChanges = edit(&rng)
    let theirChanges = edit(&rng)
    let ours = base.merging(ourChanges) { $1 }
    let theirs = base.merging(theirChanges) { $1 }
    let result = RecordMerge.merge(
      id: "a", base: Self.document(base), ours: Self.document(ours),
      theirs: Self.document(theirs), style: .leaves)
    let conflicted = Set(
      ourChanges.keys.filter { theirChanges[$0] != nil && theirChanges[$0] != ourChanges[$0] })
    #expect(Set(result.conflicts.map(\.path)) == conflicted)
    for path in base.keys where !conflicted.contains(path) {
      let expected = ourChanges[path] ?? theirChanges[path] ?? base[path]
      #expect(RecordMerge.value(at: path, in: result.merged) == expected, "\(path)")
    }
    var settled = result.merged
    for conflict in result.conflicts {
      settled = RecordMerge.setting(conflict.theirs, at: conflict.path, in: settled)
    }
    // Settled with theirs: our edits with theirs applied over them.
    #expect(canonical(settled) == canonical(Self.document(ours.merging(theirChanges) { $1 })))
  }
}
