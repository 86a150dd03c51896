import AnnostoreGit
import Foundation

/// How a command that talks to a remote authenticates and reports progress. Secrets come
/// from the environment for the duration of one command: they are never printed and never
/// written to the store's config.
public struct SyncOptions {
  /// A private ssh key file (`--ssh-key`); default: config `annostore.sshKey`, else the
  /// ssh agent and the usual `~/.ssh/id_*` files.
  public var sshKey: String?
  /// A known_hosts file trusted besides `~/.ssh/known_hosts` (`--known-hosts`); default:
  /// config `annostore.knownHosts`.
  public var knownHosts: String?
  /// Trust an ssh host key that no known_hosts file lists, and record it there.
  public var acceptNewHostKey = false
  /// Receives transfer progress (objects, bytes) while data moves.
  public var progress: ((TransferProgress) -> Void)?

  public init(
    sshKey: String? = nil, knownHosts: String? = nil, acceptNewHostKey: Bool = false,
    progress: ((TransferProgress) -> Void)? = nil
  ) {
    self.sshKey = sshKey
    self.knownHosts = knownHosts
    self.acceptNewHostKey = acceptNewHostKey
    self.progress = progress
  }

  /// Environment variables holding the HTTP(S) user and token.
  public static let httpUserVariable = "ANNOSTORE_HTTP_USER"
  public static let httpTokenVariable = "ANNOSTORE_HTTP_TOKEN"
  /// Config keys naming an ssh key file and a known_hosts file.
  public static let sshKeyConfig = "annostore.sshKey"
  public static let knownHostsConfig = "annostore.knownHosts"

  /// The environment variable and config key naming a file of certificate authorities
  /// trusted for HTTPS (git's own names).
  public static let certificateAuthoritiesVariable = "GIT_SSL_CAINFO"
  public static let certificateAuthoritiesConfig = "http.sslCAInfo"

  /// Config entries naming git credential helpers (`credential.helper`,
  /// `credential.<url>.helper`).
  public static let credentialHelperPattern = "^credential\\..*helper$"

  /// The git layer's access settings: these options, else the repository's config (if
  /// any), plus HTTP credentials from the environment and the git credential helpers
  /// configured for git (the user's files, then the repository's own), and the HTTPS
  /// authorities of `GIT_SSL_CAINFO`, else of git's `http.sslCAInfo`.
  ///
  /// HTTP(S) connections to `url` (of the remote `remote`) go through the proxy
  /// `ProxyRule` picks from git's `remote.<name>.proxy` and `http.proxy` (the user's files,
  /// then the repository's) and the process's environment.
  func access(config repository: Repository?, remote: String, url: String) throws
    -> RemoteAccess
  {
    let environment = ProcessInfo.processInfo.environment
    let sshKey = try sshKey ?? repository?.configString(Self.sshKeyConfig)
    let knownHosts = try knownHosts ?? repository?.configString(Self.knownHostsConfig)
    let knownHostsFile = knownHosts.map(Self.expandingTilde)
    let authoritiesPattern =
      "^" + Self.escapedForPattern(Self.certificateAuthoritiesConfig.lowercased()) + "$"
    let authorities =
      try environment[Self.certificateAuthoritiesVariable].flatMap { $0.isEmpty ? nil : $0 }
      ?? Self.gitConfig(authoritiesPattern, in: repository).last?.value
    return RemoteAccess(
      sshKeyPath: sshKey.map(Self.expandingTilde), sshUser: nil,
      httpUser: environment[Self.httpUserVariable].flatMap { $0.isEmpty ? nil : $0 },
      httpToken: environment[Self.httpTokenVariable].flatMap { $0.isEmpty ? nil : $0 },
      credentialConfig: try Self.gitConfig(Self.credentialHelperPattern, in: repository),
      certificateAuthorities: authorities.map(Self.expandingTilde),
      knownHostsFiles: knownHostsFile.map { [$0] } ?? [], acceptNewHostKey: acceptNewHostKey,
      newHostKeyFile: knownHostsFile,
      proxy: try Self.proxy(for: url, remote: remote, config: repository))
  }

  /// The proxy for `url` of the remote `remote`: `ProxyRule` with git's configured proxy
  /// (the last `remote.<name>.proxy`, else the last `http.proxy`, of the user's files and
  /// the repository's own) and the process's environment.
  static func proxy(for url: String, remote: String, config repository: Repository?) throws
    -> String?
  {
    let remotePattern = "^remote\\." + escapedForPattern(remote) + "\\.proxy$"
    let httpPattern = "^http\\.proxy$"
    let configured =
      try gitConfig(remotePattern, in: repository).last?.value
      ?? gitConfig(httpPattern, in: repository).last?.value
    return ProxyRule(configured: configured, environment: ProcessInfo.processInfo.environment)
      .proxy(for: url)
  }

  /// The entries of git's configuration whose names match `pattern`: the user's files,
  /// then the repository's own (only the user's without a repository, e.g. for a clone).
  private static func gitConfig(_ pattern: String, in repository: Repository?) throws
    -> [ConfigEntry]
  {
    try repository?.configEntries(matching: pattern)
      ?? Repository.userConfigEntries(matching: pattern)
  }

  /// `text` with the characters a regular expression gives a meaning escaped.
  private static func escapedForPattern(_ text: String) -> String {
    var escaped = ""
    for character in text {
      if "\\^$.|?*+()[]{}".contains(character) { escaped.append("\\") }
      escaped.append(character)
    }
    return escaped
  }

  /// `~/x` made absolute with `$HOME`.
  static func expandingTilde(_ path: String) -> String {
    guard path == "~" || path.hasPrefix("~/") else { return path }
    let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
    return home + path.dropFirst()
  }
}
