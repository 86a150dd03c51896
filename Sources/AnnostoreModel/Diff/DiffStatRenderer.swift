/// Writes the counts of a diff: per dataset a table of added, removed and modified records
/// per kind, then the annotations per tag; with several datasets, a total at the end.
public enum DiffStatRenderer {
  /// The name shown for annotations without tags.
  public static let untagged = "(no tags)"

  /// The whole table as lines.
  public static func lines(_ diff: RevisionDiff, header: Bool = true) throws -> [String] {
    var lines: [String] = []
    if header {
      let from = DiffTextRenderer.shortCommit(diff.from) ?? "(empty)"
      lines.append("diff \(from)..\(DiffTextRenderer.shortCommit(diff.to) ?? "")")
    }
    let changed = diff.datasets.filter { !$0.isEmpty }
    if changed.isEmpty {
      lines.append("no differences")
      return lines
    }
    var byTag: [String: ChangeCounts] = [:]
    for (index, dataset) in changed.enumerated() {
      if index > 0 { lines.append("") }
      let datasetByTag = try dataset.annotationsByTag()
      lines += table(
        title: DiffTextRenderer.title(dataset), summary: dataset.summary, byTag: datasetByTag)
      byTag.merge(datasetByTag) { $0 + $1 }
    }
    if changed.count > 1 {
      lines.append("")
      lines += table(title: "total", summary: diff.summary, byTag: byTag)
    }
    return lines
  }

  /// One block: the kinds, then the tags sorted by name (untagged last).
  static func table(title: String, summary: DiffSummary, byTag: [String: ChangeCounts])
    -> [String]
  {
    let kindRows = DiffKind.allCases.map { ("  " + $0.rawValue, summary[$0]) }
    let tags = byTag.keys.sorted { a, b in
      if a.isEmpty != b.isEmpty { return b.isEmpty }
      return a.utf8.lexicographicallyPrecedes(b.utf8)
    }
    let tagRows = tags.map { ("    " + ($0.isEmpty ? untagged : $0), byTag[$0] ?? ChangeCounts()) }
    let width = max(title.count, (kindRows + tagRows).map(\.0.count).max() ?? 0) + 2
    func row(_ name: String, _ cells: [String]) -> String {
      name.padding(toLength: width, withPad: " ", startingAt: 0)
        + cells.map { String(repeating: " ", count: max(0, 10 - $0.count)) + $0 }.joined()
    }
    func row(_ name: String, _ counts: ChangeCounts) -> String {
      row(name, ChangeType.allCases.map { String(counts[$0]) })
    }
    var lines = [row(title, ChangeType.allCases.map(\.rawValue))]
    lines += kindRows.map { row($0.0, $0.1) }
    if !tagRows.isEmpty {
      lines.append("  annotations by tag:")
      lines += tagRows.map { row($0.0, $0.1) }
    }
    return lines
  }
}
