/// Compares two outlines vertex by vertex (paired by position).
public enum CoordinatesComparer {
  /// The change between two `coordinates` arrays; nil when either is not an array of
  /// objects with numeric `x` and `y` (then the caller reports the raw values instead).
  public static func compare(_ before: JSONValue, _ after: JSONValue) -> CoordinatesChange? {
    guard let old = points(before), let new = points(after) else { return nil }
    var moved = 0
    var otherChanged = 0
    var largest = 0.0
    for index in 0..<min(old.count, new.count) {
      let a = old[index]
      let b = new[index]
      if a.x != b.x || a.y != b.y {
        moved += 1
        let dx = b.x - a.x
        let dy = b.y - a.y
        largest = max(largest, (dx * dx + dy * dy).squareRoot())
      } else if !JSONEquivalence.equal(a.value, b.value) {
        otherChanged += 1
      }
    }
    return CoordinatesChange(
      verticesBefore: old.count, verticesAfter: new.count, moved: moved,
      maxDisplacement: largest, otherChanged: otherChanged)
  }

  private struct Point {
    var x: Double
    var y: Double
    var value: JSONValue
  }

  private static func points(_ value: JSONValue) -> [Point]? {
    guard let elements = value.arrayElements else { return nil }
    var result: [Point] = []
    result.reserveCapacity(elements.count)
    for element in elements {
      guard let x = element["x"]?.numberValue, let y = element["y"]?.numberValue else {
        return nil
      }
      result.append(Point(x: x, y: y, value: element))
    }
    return result
  }
}
