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

  /// How much the store must find out for this format: `stat` needs only counts and the
  /// tags of changed annotations.
  var detail: DiffDetail { self == .stat ? .counts : .full }
}

/// Writes diffs to standard output as they are rendered (a diff can have a million lines).
enum DiffOutput {
  /// Writes one diff in `format`, with its `diff A..B` header.
  static func write(_ diff: RevisionDiff, format: DiffFormat) throws {
    let output = OutputFile()
    switch format {
    case .json:
      try DiffJSONRenderer.streamed(diff).write { try output.write($0) }
      try output.write("\n")
    case .text:
      try DiffTextRenderer.write(diff) { try writeLine($0, to: output) }
    case .stat:
      for line in try DiffStatRenderer.lines(diff) { try writeLine(line, to: output) }
    }
    try output.finish()
  }

  /// Writes a diff without its header, for `show`.
  static func writeBody(_ diff: RevisionDiff, format: DiffFormat, to output: OutputFile) throws {
    switch format {
    case .stat:
      for line in try DiffStatRenderer.lines(diff, header: false) {
        try writeLine(line, to: output)
      }
    case .text, .json:
      try DiffTextRenderer.write(diff, header: false) { try writeLine($0, to: output) }
    }
  }

  /// Writes lines to standard output.
  static func writeLines(_ lines: [String]) throws {
    let output = OutputFile()
    for line in lines { try writeLine(line, to: output) }
    try output.finish()
  }

  static func writeLine(_ line: String, to output: OutputFile) throws {
    try output.write(line)
    try output.write("\n")
  }
}
