// libgit2's network transports with their writes gathered into large blocks, and the
// transport a push opens its own receive-pack stream on.

import CGit2
import Foundation

/// Wraps libgit2's own smart subtransports (http/https, git, ssh) so that what is written
/// reaches them in blocks of up to `capacity` bytes, and so that a push can reach the
/// subtransport its connection runs on (`makeTransport`).
///
/// Over HTTP every write becomes its own chunk of the request body (three socket writes),
/// over ssh its own channel packet: a push's commands, pack header and first compressed
/// batch go out together instead. (libgit2's own pack builder, which pushes no longer use,
/// wrote each object's header and data separately: millions of writes for a large push.)
/// Everything else (connecting, authentication, certificate checks, the protocol up to
/// the pack) is libgit2's own code: the wrapper only forwards, flushing what it holds
/// before every read, so requests and replies keep their order.
///
/// A write to a request with a fixed length (HTTP upload-pack negotiation) arrives from
/// libgit2 as one call: it is forwarded as one call too, so its length stays right.
enum BufferedSubtransport {
  /// Bytes gathered before they are written on.
  static let capacity = 1 << 20

  /// Which of libgit2's subtransports a registration wraps.
  private enum Inner: Int {
    case http = 1
    case git = 2
    case ssh = 3
  }

  /// Registers the wrapped transports for every network scheme libgit2 knows. Runs once,
  /// from `LibGit2Runtime`.
  static func register() -> Int32 {
    let schemes: [(String, Inner, rpc: UInt32)] = [
      ("http", .http, 1), ("https", .http, 1), ("git", .git, 0), ("ssh", .ssh, 0),
      ("ssh+git", .ssh, 0), ("git+ssh", .ssh, 0),
    ]
    for (scheme, inner, rpc) in schemes {
      // libgit2 keeps the definition pointer for the life of the process.
      let definition = UnsafeMutablePointer<git_smart_subtransport_definition>.allocate(
        capacity: 1)
      definition.initialize(
        to: git_smart_subtransport_definition(
          callback: { out, owner, param in
            BufferedSubtransport.make(out, owner, param)
          }, rpc: rpc, param: UnsafeMutableRawPointer(bitPattern: inner.rawValue)))
      let code = git_transport_register(
        scheme, { out, owner, param in git_transport_smart(out, owner, param) }, definition)
      if code < 0 { return code }
    }
    return 0
  }

  /// Creates a wrapper around a new libgit2 subtransport of the kind `param` names.
  private static func make(
    _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_smart_subtransport>?>?,
    _ owner: UnsafeMutablePointer<git_transport>?, _ param: UnsafeMutableRawPointer?
  ) -> Int32 {
    guard let out, let kind = Inner(rawValue: Int(bitPattern: param)) else { return -1 }
    return wrap(kind, out, owner)
  }

  /// The transport for one push (`git_remote_callbacks.transport`, with the push's
  /// `RemoteSession` as payload): libgit2's smart transport over the same wrapper as the
  /// registered ones, which it also records in the session (`subtransport`), so that the
  /// push can open its receive-pack stream on the connection libgit2 set up. The record
  /// lives in the session, not in a global: concurrent pushes do not meet.
  static func makeTransport(
    _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_transport>?>?, _ owner: OpaquePointer?,
    _ payload: UnsafeMutableRawPointer?
  ) -> Int32 {
    guard let payload else { return -1 }
    let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
    let rpc: UInt32 = session.url.transport == .http || session.url.transport == .https ? 1 : 0
    // libgit2 reads the definition only during git_transport_smart.
    var definition = git_smart_subtransport_definition(
      callback: { out, owner, param in
        guard let out, let param else { return -1 }
        let session = Unmanaged<RemoteSession>.fromOpaque(param).takeUnretainedValue()
        let kind: Inner
        switch session.url.transport {
        case .http, .https: kind = .http
        case .git: kind = .git
        case .ssh: kind = .ssh
        case .local: return -1
        }
        let code = BufferedSubtransport.wrap(kind, out, owner)
        if code >= 0, let made = out.pointee {
          session.subtransport = BufferedSubtransport.subtransport(made)
        }
        return code
      }, rpc: rpc, param: payload)
    return git_transport_smart(out, owner, &definition)
  }

  /// Creates a wrapper around a new libgit2 subtransport of `kind` into `out`.
  private static func wrap(
    _ kind: Inner, _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_smart_subtransport>?>,
    _ owner: UnsafeMutablePointer<git_transport>?
  ) -> Int32 {
    var inner: UnsafeMutablePointer<git_smart_subtransport>?
    let code: Int32
    switch kind {
    case .http: code = git_smart_subtransport_http(&inner, owner, nil)
    case .git: code = git_smart_subtransport_git(&inner, owner, nil)
    case .ssh: code = git_smart_subtransport_ssh(&inner, owner, nil)
    }
    guard code >= 0, let inner else { return code < 0 ? code : -1 }
    let wrapper = UnsafeMutablePointer<annostore_buffered_subtransport>.allocate(capacity: 1)
    wrapper.initialize(to: annostore_buffered_subtransport())
    wrapper.pointee.inner = inner
    wrapper.pointee.parent.action = { out, transport, url, action in
      guard let out, let transport else { return -1 }
      return BufferedSubtransport.action(
        out, BufferedSubtransport.subtransport(transport), url, action)
    }
    wrapper.pointee.parent.close = { transport in
      guard let transport, let inner = BufferedSubtransport.subtransport(transport).pointee.inner
      else { return 0 }
      return inner.pointee.close(inner)
    }
    wrapper.pointee.parent.free = { transport in
      guard let transport else { return }
      let wrapper = BufferedSubtransport.subtransport(transport)
      if let inner = wrapper.pointee.inner { inner.pointee.free(inner) }
      wrapper.deinitialize(count: 1)
      wrapper.deallocate()
    }
    out.pointee = UnsafeMutableRawPointer(wrapper).assumingMemoryBound(
      to: git_smart_subtransport.self)
    return 0
  }

  /// Opens (or, for a stateful transport continuing on the same connection, reuses) the
  /// inner stream and hands out its buffering wrapper.
  static func action(
    _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_smart_subtransport_stream>?>,
    _ wrapper: UnsafeMutablePointer<annostore_buffered_subtransport>,
    _ url: UnsafePointer<CChar>?, _ service: git_smart_service_t
  ) -> Int32 {
    guard let inner = wrapper.pointee.inner else { return -1 }
    var innerStream: UnsafeMutablePointer<git_smart_subtransport_stream>?
    let code = inner.pointee.action(&innerStream, inner, url, service)
    guard code >= 0, let innerStream else { return code < 0 ? code : -1 }
    if let existing = wrapper.pointee.stream, existing.pointee.inner == innerStream {
      out.pointee = BufferedSubtransport.parent(of: existing)
      return 0
    }
    let stream = UnsafeMutablePointer<annostore_buffered_stream>.allocate(capacity: 1)
    stream.initialize(to: annostore_buffered_stream())
    stream.pointee.inner = innerStream
    stream.pointee.parent.subtransport = UnsafeMutableRawPointer(wrapper).assumingMemoryBound(
      to: git_smart_subtransport.self)
    stream.pointee.parent.read = { stream, buffer, size, bytesRead in
      guard let stream else { return -1 }
      let wrapper = BufferedSubtransport.buffered(stream)
      let flushed = BufferedSubtransport.flush(wrapper)
      guard flushed >= 0, let inner = wrapper.pointee.inner else { return flushed }
      return inner.pointee.read(inner, buffer, size, bytesRead)
    }
    stream.pointee.parent.write = { stream, data, length in
      guard let stream else { return -1 }
      return BufferedSubtransport.write(BufferedSubtransport.buffered(stream), data, length)
    }
    stream.pointee.parent.free = { stream in
      guard let stream else { return }
      let wrapper = BufferedSubtransport.buffered(stream)
      _ = BufferedSubtransport.flush(wrapper)
      if let inner = wrapper.pointee.inner { inner.pointee.free(inner) }
      let owner = BufferedSubtransport.subtransport(wrapper.pointee.parent.subtransport)
      if owner.pointee.stream == wrapper { owner.pointee.stream = nil }
      free(wrapper.pointee.buffer)
      wrapper.deinitialize(count: 1)
      wrapper.deallocate()
    }
    wrapper.pointee.stream = stream
    out.pointee = BufferedSubtransport.parent(of: stream)
    return 0
  }

  /// Gathers `data`; writes on what was gathered once a block is full. A write of a whole
  /// block or more goes on at once, after what came before it.
  private static func write(
    _ stream: UnsafeMutablePointer<annostore_buffered_stream>, _ data: UnsafePointer<CChar>?,
    _ length: Int
  ) -> Int32 {
    guard length > 0, let data else { return 0 }
    if stream.pointee.used + length > capacity {
      let flushed = flush(stream)
      if flushed < 0 { return flushed }
    }
    if length >= capacity {
      guard let inner = stream.pointee.inner else { return -1 }
      return inner.pointee.write(inner, data, length)
    }
    if stream.pointee.buffer == nil {
      guard let buffer = malloc(capacity) else { return -1 }
      stream.pointee.buffer = buffer.assumingMemoryBound(to: CChar.self)
      stream.pointee.capacity = capacity
    }
    (stream.pointee.buffer! + stream.pointee.used).update(from: data, count: length)
    stream.pointee.used += length
    return 0
  }

  /// Writes on everything gathered so far.
  private static func flush(_ stream: UnsafeMutablePointer<annostore_buffered_stream>) -> Int32 {
    let used = stream.pointee.used
    guard used > 0, let buffer = stream.pointee.buffer, let inner = stream.pointee.inner else {
      return 0
    }
    stream.pointee.used = 0
    return inner.pointee.write(inner, buffer, used)
  }

  static func subtransport(_ pointer: UnsafeMutablePointer<git_smart_subtransport>)
    -> UnsafeMutablePointer<annostore_buffered_subtransport>
  {
    UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: annostore_buffered_subtransport.self)
  }

  private static func buffered(_ pointer: UnsafeMutablePointer<git_smart_subtransport_stream>)
    -> UnsafeMutablePointer<annostore_buffered_stream>
  {
    UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: annostore_buffered_stream.self)
  }

  static func parent(of stream: UnsafeMutablePointer<annostore_buffered_stream>)
    -> UnsafeMutablePointer<git_smart_subtransport_stream>
  {
    UnsafeMutableRawPointer(stream).assumingMemoryBound(to: git_smart_subtransport_stream.self)
  }
}
