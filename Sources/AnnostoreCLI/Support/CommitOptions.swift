import AnnostoreStore
import ArgumentParser

/// A command that makes a commit, saying in the help of `-m/--message` which commit it
/// makes and what message it writes by default.
protocol CommitMessageHelp {
  /// The help of `-m/--message`.
  static var messageHelp: String { get }
}

/// `-m/--message` and `--author`: what the commands that make a commit take about it, so
/// that they take it alike. `Command` gives the help of `--message`.
struct CommitOptions<Command: CommitMessageHelp>: ParsableArguments {
  @Option(name: .shortAndLong, help: ArgumentHelp(Command.messageHelp))
  var message: String?

  @Option(help: ArgumentHelp("The author, as \"Name <email>\".", valueName: "name <email>"))
  var author: String?

  /// The author given, nil without `--author`; a malformed one is an error.
  func identity() throws -> Identity? {
    try author.map { try Identity(parsing: $0) }
  }
}
