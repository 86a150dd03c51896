import AnnostoreStore
import ArgumentParser

/// `--ssh-key`, `--known-hosts`, `--accept-new-host-key`: how a command that talks to a
/// remote logs in and which ssh servers it trusts. HTTP(S) credentials come only from the
/// environment (ANNOSTORE_HTTP_USER, ANNOSTORE_HTTP_TOKEN).
struct RemoteAccessOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Private ssh key to log in with (default: config annostore.sshKey, else the ssh agent "
        + "and ~/.ssh/id_ed25519).", valueName: "path"))
  var sshKey: String?

  @Option(
    help: ArgumentHelp(
      "known_hosts file of trusted ssh host keys, besides ~/.ssh/known_hosts (default: "
        + "config annostore.knownHosts).", valueName: "file"))
  var knownHosts: String?

  @Flag(
    help: ArgumentHelp(
      "Trust an ssh host key that no known_hosts file lists, and record it there (a key "
        + "that contradicts a listed one is always refused)."))
  var acceptNewHostKey = false

  /// The store-level options, with a progress line on a terminal.
  func syncOptions(progress: TransferProgressLine) -> SyncOptions {
    SyncOptions(
      sshKey: sshKey, knownHosts: knownHosts, acceptNewHostKey: acceptNewHostKey,
      progress: progress.enabled ? { progress.show($0) } : nil)
  }
}
