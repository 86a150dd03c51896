// The receive-pack stream of a push, opened on the connection libgit2 made.

import CGit2

/// The stream a push writes its commands and pack to and reads the status report from,
/// opened (`GIT_SERVICE_RECEIVEPACK`) on the subtransport libgit2's smart transport
/// connected with: a POST over HTTP(S), the same channel as the advertisement over ssh
/// and git://. Credentials, certificates, proxies and the connection stay libgit2's.
///
/// Over HTTP the stream is a new request this object owns and frees; over ssh and git://
/// it is the transport's current stream, which the transport frees when it closes.
///
/// The pack is written from PackWriter's background queue while the owning thread only
/// reads objects; the commands before it and the report after it come from the owning
/// thread. One thread uses the stream at a time.
final class ReceivePackStream {
  private let session: RemoteSession
  private var stream: UnsafeMutablePointer<git_smart_subtransport_stream>?
  private let owned: Bool

  /// Opens the stream through `session`'s recorded subtransport for `url`.
  init(session: RemoteSession, url: String) throws {
    self.session = session
    guard let subtransport = session.subtransport else {
      throw GitError(
        call: "receive-pack", message: "the push transport was not set up", kind: .invalid)
    }
    let before = subtransport.pointee.stream
    var opened: UnsafeMutablePointer<git_smart_subtransport_stream>?
    let code = BufferedSubtransport.action(
      &opened, subtransport, url, GIT_SERVICE_RECEIVEPACK)
    guard code >= 0, let opened else {
      throw session.error(call: "receive-pack (open stream)", code: code < 0 ? code : -1)
    }
    stream = opened
    owned = before.map { BufferedSubtransport.parent(of: $0) } != opened
  }

  deinit { close() }

  /// Writes all of `bytes` (gathered into large blocks underneath).
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard let stream, let base = bytes.baseAddress, bytes.count > 0 else { return }
    let code = stream.pointee.write(
      stream, base.assumingMemoryBound(to: CChar.self), bytes.count)
    if code < 0 { throw session.error(call: "receive-pack (write)", code: code) }
  }

  /// Reads what arrives next into `buffer` (after sending everything written); 0 at the
  /// end of the reply.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let stream, let base = buffer.baseAddress else { return 0 }
    var count = 0
    let code = stream.pointee.read(
      stream, base.assumingMemoryBound(to: CChar.self), buffer.count, &count)
    if code < 0 { throw session.error(call: "receive-pack (read)", code: code) }
    return count
  }

  /// Frees the stream if this object owns it. Idempotent.
  func close() {
    guard let stream else { return }
    self.stream = nil
    if owned { stream.pointee.free(stream) }
  }
}
