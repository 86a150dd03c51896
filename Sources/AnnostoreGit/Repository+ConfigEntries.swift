// Reading entries of git's configuration files by name pattern.

import CGit2
import Foundation

extension Repository {
  /// The entries whose names match `pattern` (a regular expression) in the user's git
  /// configuration files, then in this repository's own config file, each file in order:
  /// later entries are the more specific, as in git.
  ///
  /// The repository handles never read the user's files (see `LibGit2Runtime`); this reads
  /// them on purpose, for settings annostore shares with git, such as credential helpers.
  public func configEntries(matching pattern: String) throws -> [ConfigEntry] {
    try Self.userConfigEntries(matching: pattern)
      + Self.entries(inFile: path + "/config", matching: pattern)
  }

  /// The entries whose names match `pattern` in the user's git configuration files, as
  /// git reads them: the system file (unless `GIT_CONFIG_NOSYSTEM` is set), the XDG file,
  /// then `~/.gitconfig`. Files that do not exist are skipped.
  public static func userConfigEntries(matching pattern: String) throws -> [ConfigEntry] {
    try LibGit2Runtime.ensureInitialized()
    let environment = ProcessInfo.processInfo.environment
    let home = environment["HOME"] ?? NSHomeDirectory()
    var files: [String] = []
    let noSystem = environment["GIT_CONFIG_NOSYSTEM"].map { !$0.isEmpty && $0 != "0" } ?? false
    if !noSystem { files.append("/etc/gitconfig") }
    let xdg = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
    files.append(xdg + "/git/config")
    files.append(home + "/.gitconfig")
    var result: [ConfigEntry] = []
    for file in files where FileManager.default.fileExists(atPath: file) {
      result += try entries(inFile: file, matching: pattern)
    }
    return result
  }

  /// The entries of one config file whose names match `pattern`, in file order.
  private static func entries(inFile file: String, matching pattern: String) throws
    -> [ConfigEntry]
  {
    let config = try GitHandle.make("git_config_open_ondisk", .config) {
      git_config_open_ondisk(&$0, file)
    }
    return try config.use { config in
      var iterator: OpaquePointer?
      try gitCheck(
        "git_config_iterator_glob_new", git_config_iterator_glob_new(&iterator, config, pattern))
      defer { git_config_iterator_free(iterator) }
      var result: [ConfigEntry] = []
      var entry: UnsafeMutablePointer<git_config_entry>?
      while true {
        let next = git_config_next(&entry, iterator)
        if next == GIT_ITEROVER.rawValue { break }
        try gitCheck("git_config_next", next)
        guard let entry, let name = entry.pointee.name else { continue }
        let value = entry.pointee.value.map { String(cString: $0) } ?? ""
        result.append(ConfigEntry(name: String(cString: name), value: value))
      }
      return result
    }
  }
}
