import AnnostoreGit

/// Turning a git-layer failure of a remote operation into what the user reads: the
/// remote, what went wrong, and what to do next. Every one exits with the remote status.
enum RemoteFailure {
  /// The error for `error`, raised while `doing` (e.g. "fetching from origin") with `url`.
  static func error(_ error: GitError, doing: String, url: RemoteURL, remote: String?)
    -> AnnostoreError
  {
    let unchanged = "Nothing was changed."
    switch error.kind {
    case .auth:
      let hint: String
      switch url.transport {
      case .ssh:
        hint =
          "Name the private key with --ssh-key PATH (or `git config annostore.sshKey PATH` "
          + "in the store), or load it into the ssh agent, and check that the server lists "
          + "its public key. \(unchanged)"
      case .http, .https:
        hint =
          "Set \(SyncOptions.httpUserVariable) and \(SyncOptions.httpTokenVariable) to a user "
          + "and token the server accepts, or save a login for this server in a git "
          + "credential helper (`git config credential.helper`). \(unchanged)"
      default:
        hint = unchanged
      }
      return AnnostoreError(.remote, "\(doing) \(url.redacted): \(error.message)", hint: hint)
    case .certificate where url.transport == .ssh:
      return AnnostoreError(
        .remote, "\(doing) \(url.redacted): \(error.message)",
        hint: "If this is the server's key (ask its administrator), run again with "
          + "--accept-new-host-key, or list it in a known_hosts file (--known-hosts FILE or "
          + "`git config annostore.knownHosts FILE`). \(unchanged)")
    case .certificate:
      return AnnostoreError(
        .remote, "\(doing) \(url.redacted): \(error.message)",
        hint: "The server's certificate is not signed by an authority this machine trusts, or "
          + "names another host. Install the authority's certificate in the system's store "
          + "(/etc/ssl/certs), name a file of trusted authorities with GIT_SSL_CAINFO or "
          + "`git config http.sslCAInfo FILE`, or reach the server over ssh. \(unchanged)")
    case .nonFastForward:
      let name = remote ?? "the remote"
      return AnnostoreError(
        .remote,
        "\(doing) \(url.redacted) refused: the remote branch has commits this store does "
          + "not have (not a fast-forward)",
        hint: "Pull first (`annostore pull \(name)`), then push again. \(unchanged)")
    case .proxy:
      return AnnostoreError(
        .remote, "\(doing) \(url.redacted): \(error.message)",
        hint: "Check the proxy: git's `http.proxy` or `remote.<name>.proxy` (the user's or the "
          + "store's config), else `https_proxy`/`http_proxy`; list hosts reached directly in "
          + "`no_proxy`. \(unchanged)")
    case .network:
      return AnnostoreError(
        .remote, "\(doing) \(url.redacted): cannot reach the remote: \(error.message)",
        hint: "Check the URL (`annostore remote list`), the network and that the server runs. "
          + unchanged)
    default:
      return AnnostoreError(
        .remote, "\(doing) \(url.redacted) failed: \(error.message)",
        hint: "Check the URL (`annostore remote list`) and that it names a git repository. "
          + unchanged)
    }
  }
}
