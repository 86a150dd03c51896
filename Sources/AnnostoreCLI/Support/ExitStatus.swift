import AnnostoreStore

/// The exit statuses of annostore: few, fixed, and listed in the README.
public enum ExitStatus: Int32, CaseIterable, Sendable {
  case success = 0
  /// `diff --exit-code` found differences.
  case differences = 1
  /// The command line was wrong: unknown option, missing argument, impossible request.
  case usage = 2
  /// The input file is not a valid NimbusImage export.
  case badInput = 3
  /// A merge stopped on conflicts.
  case conflicts = 4
  /// No store at the given path or above the current directory.
  case notAStore = 5
  /// A remote could not be reached, refused access or refused a push.
  case remote = 6
  /// `verify` found the store damaged.
  case storeDamaged = 7
  /// Anything else: I/O, git, a busy store.
  case failure = 9

  init(_ category: AnnostoreError.Category) {
    switch category {
    case .badInput: self = .badInput
    case .notAStore: self = .notAStore
    case .storeDamaged: self = .storeDamaged
    case .usage: self = .usage
    case .conflicts: self = .conflicts
    case .remote: self = .remote
    case .other: self = .failure
    }
  }
}

/// Thrown by a command that finished its work but must exit with a status other than 0
/// (e.g. `verify` that found problems), after printing its own report.
struct ExitWith: Error {
  var status: ExitStatus
}
