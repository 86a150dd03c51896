import AnnostoreModel

/// Collects the annotations an import brings in that lie outside the target dataset's
/// known dimensions or channels.
struct OutOfRangeCheck {
  let dimensions: DatasetDimensions?
  private(set) var offenders: [(id: String, problem: String)] = []

  init(dimensions: DatasetDimensions?) {
    self.dimensions = dimensions
  }

  /// Whether there are dimensions to check against.
  var isActive: Bool { dimensions != nil }

  mutating func check(id: String, _ annotation: JSONValue?) {
    guard let dimensions, let annotation, let problem = dimensions.problem(with: annotation)
    else { return }
    offenders.append((id, problem))
  }

  /// The refusal for what was found, nil when nothing lies outside.
  func refusal(dataset: String) -> AnnostoreError? {
    guard let dimensions, !offenders.isEmpty else { return nil }
    let shown = offenders.sorted { $0.id < $1.id }.prefix(20).map { "  \($0.id): \($0.problem)" }
    let more = offenders.count > 20 ? ["  ... and \(offenders.count - 20) more"] : []
    return AnnostoreError(
      .badInput,
      "\(offenders.count) annotation(s) lie outside dataset \(dataset)'s dimensions (XY "
        + "\(dimensions.xy), Z \(dimensions.z), Time \(dimensions.time), channels "
        + "\(dimensions.channels)):\n" + (shown + more).joined(separator: "\n"),
      hint: "Nothing was written. Import into a dataset with matching dimensions, or pass "
        + "--allow-out-of-range to import them anyway.")
  }
}
