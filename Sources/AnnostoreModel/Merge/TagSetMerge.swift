/// Three-way merge of a list of tags taken as a set: additions and removals of both sides
/// are applied; the result keeps our order, then their additions in their order, with no
/// duplicates. Never conflicts.
public enum TagSetMerge {
  /// The tags of `value` when it is an array of strings, else nil.
  public static func tags(_ value: JSONValue?) -> [String]? {
    guard case .array(let elements)? = value else { return nil }
    var result: [String] = []
    result.reserveCapacity(elements.count)
    for element in elements {
      guard case .string(let text) = element else { return nil }
      result.append(text)
    }
    return result
  }

  /// Merges three tag lists (`base` empty when the field was absent).
  public static func merge(base: [String], ours: [String], theirs: [String]) -> [String] {
    if ours == theirs || theirs == base { return ours }
    if ours == base { return theirs }
    let baseSet = Set(base)
    let theirSet = Set(theirs)
    var seen: Set<String> = []
    var result: [String] = []
    for tag in ours where seen.insert(tag).inserted {
      // Their removal: in the base, no longer theirs.
      if baseSet.contains(tag) && !theirSet.contains(tag) { continue }
      result.append(tag)
    }
    for tag in theirs where !baseSet.contains(tag) && seen.insert(tag).inserted {
      result.append(tag)
    }
    return result
  }
}
