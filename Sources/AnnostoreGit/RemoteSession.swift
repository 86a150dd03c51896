// The state one remote operation shares with libgit2's C callbacks.

import CGit2
import Foundation

/// Everything libgit2's callbacks need during one fetch or push: the access settings,
/// the progress sink, and what the callbacks found out (a refusal, updated references,
/// transfer counts, a push's subtransport).
///
/// libgit2 calls back synchronously on the calling thread. The session reaches the
/// callbacks as an unretained payload pointer: `run` keeps it alive for the call.
final class RemoteSession {
  let url: RemoteURL
  let access: RemoteAccess
  let progress: ((TransferProgress) -> Void)?

  /// Why a callback refused (authentication, host key); preferred over libgit2's message.
  var failure: GitError?
  /// Whether any credential was handed to libgit2 (an ssh failure after that is an
  /// authentication failure, not a network one).
  var offeredCredential = false
  /// ssh key sources tried so far, and the HTTP user/token attempts.
  var sshAttempts = 0
  var httpAttempts = 0
  /// The HTTP user offered, and whether its password came from a git credential helper.
  var httpUser: String?
  var httpLoginFromHelper = false
  /// Local references a fetch moved (remote-tracking branches, tags).
  var updates: [ReferenceUpdate] = []
  /// The subtransport a push's own transport wraps (`BufferedSubtransport.makeTransport`),
  /// owned by libgit2's transport, which the remote handle owns.
  var subtransport: UnsafeMutablePointer<annostore_buffered_subtransport>?
  /// Counts of the last progress report.
  var objects = 0
  var bytes = 0
  private var lastReport = DispatchTime(uptimeNanoseconds: 0)

  init(url: String, access: RemoteAccess, progress: ((TransferProgress) -> Void)?) {
    self.url = RemoteURL(url)
    self.access = access
    self.progress = progress
  }

  /// Points `callbacks` at this session. Only valid inside `run`.
  func install(into callbacks: inout git_remote_callbacks) {
    callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
    callbacks.credentials = { out, _, usernameFromURL, allowed, payload in
      guard let out, let payload else { return -1 }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      return session.acquireCredential(
        out, usernameFromURL: usernameFromURL.map { String(cString: $0) }, allowed: allowed)
    }
    callbacks.certificate_check = { cert, valid, host, payload in
      guard let cert, let payload else { return -1 }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      return session.checkCertificate(
        cert, valid: valid != 0, host: host.map { String(cString: $0) } ?? "")
    }
    callbacks.update_tips = { name, old, new, payload in
      guard let name, let payload else { return 0 }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      session.updates.append(
        ReferenceUpdate(
          name: String(cString: name), old: old.flatMap(RemoteSession.nonZero),
          new: new.flatMap(RemoteSession.nonZero)))
      return 0
    }
    callbacks.transfer_progress = { stats, payload in
      guard let stats, let payload else { return 0 }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      let value = stats.pointee
      session.objects = Int(value.received_objects)
      session.bytes = Int(value.received_bytes)
      let receiving = value.received_objects < value.total_objects
      session.report(
        TransferProgress(
          phase: receiving ? .receiving : .indexing,
          objects: Int(receiving ? value.received_objects : value.indexed_deltas),
          totalObjects: Int(receiving ? value.total_objects : value.total_deltas),
          bytes: Int(value.received_bytes)))
      return 0
    }
  }

  /// Runs libgit2 calls that use callbacks installed from this session, keeping the
  /// session alive until they return. A connection the other side drops must be an error
  /// from a write, not a SIGPIPE that kills the process halfway: the signal is ignored for
  /// the duration of the call.
  func run<R>(_ body: () throws -> R) throws -> R {
    try trustConfiguredAuthorities()
    let previous = signal(SIGPIPE, SIG_IGN)
    defer { signal(SIGPIPE, previous) }
    return try withExtendedLifetime(self) { try body() }
  }

  /// Makes libgit2 trust the authorities of `access.certificateAuthorities` for HTTPS, when
  /// given. A process-wide setting of libgit2; a command talks to one remote at a time.
  private func trustConfiguredAuthorities() throws {
    guard let file = access.certificateAuthorities else { return }
    let code = annostore_git_set_ssl_cert_locations(file, nil)
    guard code < 0 else { return }
    let reason = GitError.libgit2(call: "git_libgit2_opts", code: code).message
    throw GitError(
      call: "git_libgit2_opts(SET_SSL_CERT_LOCATIONS)",
      message: "cannot use the certificate authorities in \(file): \(reason)", kind: .certificate)
  }

  /// The error for a failed libgit2 remote call: a callback's own refusal first, else
  /// libgit2's error with its kind refined for remote work.
  func error(call: String, code: Int32) -> GitError {
    if let failure { return failure }
    var error = GitError.libgit2(call: call, code: code)
    let text = error.message.lowercased()
    if error.kind == .other || error.kind == .network || error.kind == .notFound {
      if offeredCredential
        && (text.contains("authenticat") || text.contains("unable to open public key"))
      {
        error.kind = .auth
      } else if text.contains("failed to connect") || text.contains("connection refused")
        || text.contains("failed to resolve") || text.contains("unexpected eof")
        || text.contains("could not read from remote") || text.contains("early eof")
        || text.contains("connection reset") || text.contains("timed out")
      {
        error.kind = .network
      }
    }
    return throughProxy(error)
  }

  /// `error` restated as the proxy's when this session goes through a proxy and the
  /// connection failed: libgit2 then only ever connects to the proxy, and its message
  /// names a host and port without saying they are the proxy's. The proxy is named
  /// without its password.
  private func throughProxy(_ error: GitError) -> GitError {
    guard let proxy = usedProxy else { return error }
    var error = error
    error.message = Self.hidingPassword(of: proxy, in: error.message)
    let text = error.message.lowercased()
    if error.kind == .network
      && (text.contains("failed to connect") || text.contains("connection refused")
        || text.contains("failed to resolve"))
    {
      return GitError(
        call: error.call,
        message: "cannot reach the proxy \(Self.redacted(proxy)): \(error.message)", kind: .proxy)
    }
    if text.contains("proxy") {
      return GitError(
        call: error.call, message: "through the proxy \(Self.redacted(proxy)): \(error.message)",
        kind: .proxy)
    }
    return error
  }

  /// Calls the progress sink at most every 100 ms, and always for a phase's last step.
  private func report(_ value: TransferProgress) {
    guard let progress else { return }
    let now = DispatchTime.now()
    let last = value.totalObjects > 0 && value.objects == value.totalObjects
    guard last || now.uptimeNanoseconds &- lastReport.uptimeNanoseconds >= 100_000_000 else {
      return
    }
    lastReport = now
    progress(value)
  }

  static func nonZero(_ oid: UnsafePointer<git_oid>) -> ObjectID? {
    git_oid_is_zero(oid) != 0 ? nil : ObjectID(oid)
  }

  /// The id `oid` holds, nil for the all-zero id (no object).
  static func nonZero(_ oid: git_oid) -> ObjectID? {
    withUnsafePointer(to: oid) { nonZero($0) }
  }
}
