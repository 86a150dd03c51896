/// Which annotations get a row: every condition given must hold. Tags: the annotation has
/// all of them. Shapes, channels, XY, Z and Time: the annotation's is one of those given.
/// XY, Z and Time count from 1, as the CSV writes them.
public struct CSVRowFilter: Sendable, Equatable {
  public var tags: [String] = []
  public var shapes: Set<String> = []
  public var channels: Set<Int> = []
  public var xy: Set<Int> = []
  public var z: Set<Int> = []
  public var time: Set<Int> = []

  public init() {}

  /// Whether there is no condition at all.
  public var isEmpty: Bool {
    tags.isEmpty && shapes.isEmpty && channels.isEmpty && xy.isEmpty && z.isEmpty
      && time.isEmpty
  }

  /// Whether the annotation document passes.
  public func matches(_ annotation: JSONValue) -> Bool {
    if isEmpty { return true }
    if !tags.isEmpty {
      let own = Set(annotation["tags"]?.arrayElements?.compactMap(\.stringValue) ?? [])
      guard tags.allSatisfy(own.contains) else { return false }
    }
    if !shapes.isEmpty {
      guard let shape = annotation["shape"]?.stringValue, shapes.contains(shape) else {
        return false
      }
    }
    if !channels.isEmpty, !Self.holds(channels, annotation["channel"], plus: 0) { return false }
    let location = annotation["location"]
    if !xy.isEmpty, !Self.holds(xy, location?["XY"], plus: 1) { return false }
    if !z.isEmpty, !Self.holds(z, location?["Z"], plus: 1) { return false }
    if !time.isEmpty, !Self.holds(time, location?["Time"], plus: 1) { return false }
    return true
  }

  /// Whether `value + plus` (a missing value counting as 0, as in the CSV) is in `wanted`.
  private static func holds(_ wanted: Set<Int>, _ value: JSONValue?, plus: Int) -> Bool {
    let number = value?.numberValue ?? 0
    guard number.isFinite, number.magnitude < 1e15, number.rounded() == number else {
      return false
    }
    return wanted.contains(Int(number) + plus)
  }
}
