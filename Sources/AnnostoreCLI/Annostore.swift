import ArgumentParser

/// The root command: lists the subcommands and explains the global `-C` option.
struct Annostore: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "annostore",
    abstract: "A versioned, git-backed store for NimbusImage annotation data.",
    discussion: """
      Records NimbusImage JSON exports as commits in a git repository of canonical JSON \
      files, and writes them back out as NimbusImage JSON from any revision.

      Every command finds its store from the current directory upward, or takes \
      -C PATH (before or after the command name) to name it. File arguments stay \
      relative to the current directory.

      Exit status: 0 success, 1 differences found, 2 usage error, 3 bad input, \
      4 merge conflicts, 5 not a store, 6 remote failure, 7 store check failed, \
      9 other error.
      """,
    version: "0.1.0",
    subcommands: [
      InitCommand.self, CommitCommand.self, ImportCommand.self, ConflictsCommand.self,
      ResolveCommand.self, MergeCommand.self, LogCommand.self, StatusCommand.self,
      ExportCommand.self, DatasetCommand.self, ValidateCommand.self, VerifyCommand.self,
      DiffCommand.self, ShowCommand.self, TagCommand.self, TagsCommand.self, RestoreCommand.self,
      RemoteCommand.self, CloneCommand.self, FetchCommand.self, PullCommand.self,
      PushCommand.self,
    ])
}
