// Plain values describing remotes, the access to them and what a transfer did.

/// A remote as the repository's config names it.
public struct RemoteInfo: Sendable, Equatable {
  /// The remote's name, e.g. `origin`.
  public var name: String
  /// The URL fetched from (and pushed to, unless `pushURL` is set).
  public var url: String
  /// A separate push URL, if configured.
  public var pushURL: String?

  /// A remote as given.
  public init(name: String, url: String, pushURL: String? = nil) {
    self.name = name
    self.url = url
    self.pushURL = pushURL
  }
}

/// How to authenticate to a remote and which ssh host keys to trust. Secrets live here
/// only for the duration of one operation: nothing in it is written anywhere.
public struct RemoteAccess: Sendable {
  /// A private key file for ssh (an ed25519 key; its `.pub` beside it is used if present).
  /// Without one: the ssh agent, then `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa`.
  public var sshKeyPath: String?
  /// The ssh user when the URL names none (default: the local user name).
  public var sshUser: String?
  /// User for HTTP(S) remotes (default: the URL's user, else `annostore`).
  public var httpUser: String?
  /// Token (or password) for HTTP(S) remotes; without one, the git credential helpers
  /// `credentialConfig` names are asked, and without an answer a server asking for a
  /// login is refused.
  public var httpToken: String?
  /// The `credential.helper` and `credential.<url>.helper` entries of git's configuration,
  /// in order (see `CredentialHelper`).
  public var credentialConfig: [ConfigEntry]
  /// A file of certificate authorities (PEM) trusted for HTTPS instead of the system's
  /// (`/etc/ssl/certs`), for servers whose certificates a lab's own authority signs.
  public var certificateAuthorities: String?
  /// known_hosts files consulted besides `$HOME/.ssh/known_hosts`.
  public var knownHostsFiles: [String]
  /// Trust an ssh host key that no known_hosts file lists (never one that contradicts
  /// a listed key), and record it in `newHostKeyFile`.
  public var acceptNewHostKey: Bool
  /// Where an accepted new host key is recorded (default `$HOME/.ssh/known_hosts`).
  public var newHostKeyFile: String?
  /// The proxy (`http://[user:password@]host:port`) an HTTP(S) remote is reached through,
  /// nil for a direct connection; `ProxyRule` decides it. Ignored for other transports.
  public var proxy: String?

  /// Access settings as given; the defaults mean the agent and usual key files, no HTTP
  /// login, and only `$HOME/.ssh/known_hosts`.
  public init(
    sshKeyPath: String? = nil, sshUser: String? = nil, httpUser: String? = nil,
    httpToken: String? = nil, credentialConfig: [ConfigEntry] = [],
    certificateAuthorities: String? = nil, knownHostsFiles: [String] = [],
    acceptNewHostKey: Bool = false, newHostKeyFile: String? = nil, proxy: String? = nil
  ) {
    self.proxy = proxy
    self.certificateAuthorities = certificateAuthorities
    self.credentialConfig = credentialConfig
    self.sshKeyPath = sshKeyPath
    self.sshUser = sshUser
    self.httpUser = httpUser
    self.httpToken = httpToken
    self.knownHostsFiles = knownHostsFiles
    self.acceptNewHostKey = acceptNewHostKey
    self.newHostKeyFile = newHostKeyFile
  }
}

/// A snapshot of a running transfer, for a progress display.
public struct TransferProgress: Sendable, Equatable {
  /// What the transfer is doing.
  public enum Phase: Sendable, Equatable {
    /// Receiving objects from the remote (fetch, clone, pull).
    case receiving
    /// Resolving and indexing received objects.
    case indexing
    /// Counting the objects to send (push).
    case counting
    /// Sending objects to the remote (push).
    case sending
  }

  /// The phase reported.
  public var phase: Phase
  /// Objects done in this phase.
  public var objects: Int
  /// Objects this phase will handle, 0 when not known yet.
  public var totalObjects: Int
  /// Bytes transferred so far.
  public var bytes: Int

  /// A report as given.
  public init(phase: Phase, objects: Int, totalObjects: Int, bytes: Int) {
    self.phase = phase
    self.objects = objects
    self.totalObjects = totalObjects
    self.bytes = bytes
  }
}

/// A reference that a fetch or push moved.
public struct ReferenceUpdate: Sendable, Equatable {
  /// The full reference name, e.g. `refs/remotes/origin/main`.
  public var name: String
  /// Where it pointed before, nil if it is new.
  public var old: ObjectID?
  /// Where it points now, nil if it was deleted.
  public var new: ObjectID?

  /// An update as given.
  public init(name: String, old: ObjectID?, new: ObjectID?) {
    self.name = name
    self.old = old
    self.new = new
  }
}

/// What a fetch did.
public struct FetchResult: Sendable {
  /// The local references it created, moved or deleted.
  public var updates: [ReferenceUpdate]
  /// Objects received.
  public var receivedObjects: Int
  /// Bytes received (the pack as sent).
  public var receivedBytes: Int
}

/// What a push did.
public struct PushResult: Sendable {
  /// The remote references it asked to update, with their old and new targets.
  public var updates: [ReferenceUpdate]
  /// Objects sent.
  public var sentObjects: Int
  /// Bytes sent: the pack over the network, the objects' content to a local repository.
  public var sentBytes: Int
}
