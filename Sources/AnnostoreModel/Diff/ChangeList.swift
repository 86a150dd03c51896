/// A record diff of any kind: which record, and whether it was added, removed or modified.
public protocol RecordChangeItem: Equatable, Sendable {
  /// The record's id (for values: the annotation's).
  var id: String { get }
  var change: ChangeType { get }
}

extension RecordChange: RecordChangeItem {}
extension ValuesDiff: RecordChangeItem {}

/// The changed records of one kind in a dataset diff, in id order.
///
/// A diff between revisions of a million annotations has a million entries, and held as
/// values it would take gigabytes. So a list made by the store holds only how many records
/// changed (known from the trees) and how to work out their diffs: each time the list is
/// read, it produces them a page at a time, and a renderer writes each page before the next
/// is made. A list made from an array (small diffs, tests) simply holds its elements.
public struct ChangeList<Element: RecordChangeItem>: Sendable {
  /// How many records were added, removed and modified.
  public let counts: ChangeCounts
  /// Hands the elements to its argument in pages, in order.
  private let produce: @Sendable (_ page: ([Element]) throws -> Void) throws -> Void

  /// A list holding `elements` (in id order).
  public init(_ elements: [Element]) {
    var counts = ChangeCounts()
    for element in elements { counts[element.change] += 1 }
    self.counts = counts
    produce = { page in try page(elements) }
  }

  /// A list of records counted beforehand, whose diffs `pages` works out on each reading
  /// and hands over in order, a page at a time. `pages` must produce exactly what `counts`
  /// counts.
  public init(
    counts: ChangeCounts,
    pages: @escaping @Sendable (_ page: ([Element]) throws -> Void) throws -> Void
  ) {
    self.counts = counts
    produce = pages
  }

  /// The number of changed records.
  public var count: Int { counts.total }

  /// Whether no record changed.
  public var isEmpty: Bool { counts.total == 0 }

  /// Calls `body` with each element in order, producing them as it goes.
  public func forEachChange(_ body: (Element) throws -> Void) throws {
    try produce { page in
      for element in page { try body(element) }
    }
  }

  /// Every element at once (for small diffs and tests: a store-made list of a large diff
  /// is meant to be read with `forEachChange`).
  public func elements() throws -> [Element] {
    var result: [Element] = []
    result.reserveCapacity(count)
    try forEachChange { result.append($0) }
    return result
  }
}

extension ChangeList: Equatable {
  /// Lists are equal when they produce equal elements (a list that fails to produce equals
  /// nothing).
  public static func == (a: ChangeList, b: ChangeList) -> Bool {
    guard a.counts == b.counts, let x = try? a.elements(), let y = try? b.elements() else {
      return false
    }
    return x == y
  }
}

extension ChangeList: ExpressibleByArrayLiteral {
  public init(arrayLiteral elements: Element...) {
    self.init(elements)
  }
}
