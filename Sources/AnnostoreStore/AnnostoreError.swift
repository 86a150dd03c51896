import AnnostoreGit
import AnnostoreModel

/// A failure the user has to hear about: what went wrong, and what to do next.
/// `category` decides the exit status (the table is in the README).
public struct AnnostoreError: Error, CustomStringConvertible, Sendable {
  /// What kind of failure this is; each has its own exit status.
  public enum Category: Sendable, Equatable {
    /// The input file is not a valid NimbusImage export (exit 3).
    case badInput
    /// No store at the given path or above the current directory (exit 5).
    case notAStore
    /// The store failed its checks (exit 7).
    case storeDamaged
    /// The command line asked for something impossible (exit 2).
    case usage
    /// A merge stopped on conflicts (exit 4).
    case conflicts
    /// A remote could not be reached or refused (exit 6).
    case remote
    /// Anything else: I/O, git, a busy store (exit 9).
    case other
  }

  public var category: Category
  public var message: String
  /// What the user can do about it, if there is something to say.
  public var hint: String?

  public init(_ category: Category, _ message: String, hint: String? = nil) {
    self.category = category
    self.message = message
    self.hint = hint
  }

  public var description: String {
    guard let hint else { return message }
    return message + "\n" + hint
  }

  /// A bad-input error for `file`, located by a JSON location.
  static func badInput(file: String, _ error: JSONError) -> AnnostoreError {
    AnnostoreError(
      .badInput, "\(file): \(error.location): \(error.message)",
      hint: "Nothing was written. Fix the file (or export it again from NimbusImage) and retry.")
  }

  /// A bad-input error for `file`, for a record that is valid JSON but not a valid document.
  static func badInput(file: String, _ error: RecordError, line: JSONLocation?) -> AnnostoreError {
    let place: String
    if let line {
      place = "\(error.pointer) (record at line \(line.line), column \(line.column))"
    } else {
      place = error.pointer
    }
    return AnnostoreError(
      .badInput, "\(file): \(place): \(error.message)",
      hint: "Nothing was written. Fix the file (or export it again from NimbusImage) and retry.")
  }

  /// Wraps a git-layer failure.
  static func git(_ error: GitError, doing what: String) -> AnnostoreError {
    AnnostoreError(.other, "\(what) failed: \(error.call): \(error.message)")
  }
}
