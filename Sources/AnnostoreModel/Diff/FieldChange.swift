/// One field of a record that differs between two revisions.
public enum FieldChange: Equatable, Sendable {
  /// A list of tags, compared as a set (the lists are kept too, for order-only changes).
  case tags(TagsChange)
  /// An annotation's outline, summarised by how its vertices moved.
  case coordinates(CoordinatesChange)
  /// Any other field: its JSON before and after (nil where the field is absent).
  case value(ValueChange)

  /// The name of the field.
  public var field: String {
    switch self {
    case .tags(let change): return change.field
    case .coordinates: return "coordinates"
    case .value(let change): return change.field
    }
  }
}

/// A changed list of tags.
public struct TagsChange: Equatable, Sendable {
  /// The field holding the tags (`tags`).
  public var field: String
  public var before: [String]
  public var after: [String]
  /// Tags in `after` but not in `before`, in `after`'s order, without duplicates.
  public var added: [String]
  /// Tags in `before` but not in `after`, in `before`'s order, without duplicates.
  public var removed: [String]

  /// The change from `before` to `after`.
  public init(field: String = "tags", before: [String], after: [String]) {
    self.field = field
    self.before = before
    self.after = after
    let beforeSet = Set(before)
    let afterSet = Set(after)
    added = Self.unique(after.filter { !beforeSet.contains($0) })
    removed = Self.unique(before.filter { !afterSet.contains($0) })
  }

  static func unique(_ tags: [String]) -> [String] {
    var seen: Set<String> = []
    return tags.filter { seen.insert($0).inserted }
  }
}

/// How an annotation's coordinates changed. Vertices are paired by position; a vertex
/// moved when its `x` or `y` differ, and its displacement is the distance in pixels
/// between the two positions in the image plane.
public struct CoordinatesChange: Equatable, Sendable {
  public var verticesBefore: Int
  public var verticesAfter: Int
  /// Paired vertices whose `x` or `y` differ.
  public var moved: Int
  /// The largest displacement of a moved vertex, in pixels (0 when none moved).
  public var maxDisplacement: Double
  /// Paired vertices with the same `x` and `y` but another member changed (e.g. `z`).
  public var otherChanged: Int

  public init(
    verticesBefore: Int, verticesAfter: Int, moved: Int, maxDisplacement: Double,
    otherChanged: Int = 0
  ) {
    self.verticesBefore = verticesBefore
    self.verticesAfter = verticesAfter
    self.moved = moved
    self.maxDisplacement = maxDisplacement
    self.otherChanged = otherChanged
  }

  /// How many vertices were paired: the smaller of the two counts.
  public var paired: Int { min(verticesBefore, verticesAfter) }
}

/// A changed field holding any JSON value. nil means the field is absent, which is not
/// the same as a JSON `null`.
public struct ValueChange: Equatable, Sendable {
  public var field: String
  public var before: JSONValue?
  public var after: JSONValue?

  public init(field: String, before: JSONValue?, after: JSONValue?) {
    self.field = field
    self.before = before
    self.after = after
  }
}
