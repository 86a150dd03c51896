import AnnostoreModel
import AnnostoreStore
import ArgumentParser

/// The forms a diff can be written in.
enum DiffFormat: String, ExpressibleByArgument, CaseIterable {
  /// For people: a summary, then one line per changed record.
  case text
  /// The versioned JSON document of Schemas/diff.schema.json.
  case json
  /// Counts per kind and per tag.
  case stat
}

/// Writes diffs to standard output, buffered (a diff can have a million lines).
enum DiffOutput {
  /// Writes one diff in `format`.
  static func write(_ diff: RevisionDiff, format: DiffFormat) throws {
    switch format {
    case .json: JSONOutput.print(DiffJSONRenderer.document(diff))
    case .text: try writeLines(DiffTextRenderer.lines(diff))
    case .stat: try writeLines(DiffStatRenderer.lines(diff))
    }
  }

  /// The lines of a diff without its `diff A..B` header, for `show`.
  static func lines(_ diff: RevisionDiff, format: DiffFormat) -> [String] {
    switch format {
    case .stat: return DiffStatRenderer.lines(diff, header: false)
    case .text, .json: return DiffTextRenderer.lines(diff, header: false)
    }
  }

  /// Writes lines to standard output.
  static func writeLines(_ lines: [String]) throws {
    let output = OutputFile()
    for line in lines {
      try output.write(line)
      try output.write("\n")
    }
    try output.finish()
  }
}
