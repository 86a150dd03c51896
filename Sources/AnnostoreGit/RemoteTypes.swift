// Plain values describing remotes, the access to them and what a transfer did.

/// A remote as the repository's config names it.
public struct RemoteInfo: Sendable, Equatable {
  /// The remote's name, e.g. `origin`.
  public var name: String
  /// The URL fetched from (and pushed to, unless `pushURL` is set).
  public var url: String
  /// A separate push URL, if configured.
  public var pushURL: String?

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
  /// User and token (or password) for HTTP(S) remotes.
  public var httpUser: String?
  public var httpToken: String?
  /// known_hosts files consulted besides `$HOME/.ssh/known_hosts`.
  public var knownHostsFiles: [String]
  /// Trust an ssh host key that no known_hosts file lists (never one that contradicts
  /// a listed key), and record it in `newHostKeyFile`.
  public var acceptNewHostKey: Bool
  /// Where an accepted new host key is recorded (default `$HOME/.ssh/known_hosts`).
  public var newHostKeyFile: String?

  public init(
    sshKeyPath: String? = nil, sshUser: String? = nil, httpUser: String? = nil,
    httpToken: String? = nil, knownHostsFiles: [String] = [], acceptNewHostKey: Bool = false,
    newHostKeyFile: String? = nil
  ) {
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

  public var phase: Phase
  /// Objects done in this phase.
  public var objects: Int
  /// Objects this phase will handle, 0 when not known yet.
  public var totalObjects: Int
  /// Bytes transferred so far.
  public var bytes: Int

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
  /// Objects and bytes received.
  public var receivedObjects: Int
  public var receivedBytes: Int
}

/// What a push did.
public struct PushResult: Sendable {
  /// The remote references it asked to update, with their old and new targets.
  public var updates: [ReferenceUpdate]
  /// Objects and bytes sent.
  public var sentObjects: Int
  public var sentBytes: Int
}
