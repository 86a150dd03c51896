// A plain TCP stream for libgit2 that connects to a proxy instead of the host it names:
// how a plain http:// remote is reached through a proxy with libgit2 1.5.

import CGit2
import Foundation

/// libgit2 1.5, given a proxy for a plain `http://` remote, writes its requests as a proxy
/// expects them (absolute URIs, `Proxy-Authorization` when the proxy asks) but opens the
/// connection to the server itself (libgit2 issue #5650), so the proxy is bypassed. While
/// `routing(to:port:_:)` runs, this stream replaces libgit2's standard (unencrypted)
/// socket stream and opens every connection to the proxy instead, where those requests
/// belong. Only an operation on a plain `http://` remote through an `http://` proxy
/// installs it; it is removed when that operation returns. The registration is
/// process-wide, like libgit2's: a command talks to one remote at a time.
enum ProxySocketStream {
  /// Where connections go while a routing is in place.
  private final class Target: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (host: String, port: Int)?

    var current: (host: String, port: Int)? {
      get { lock.withLock { value } }
      set { lock.withLock { value = newValue } }
    }
  }

  private static let target = Target()

  /// Runs `body` with libgit2's standard socket streams connecting to `host`:`port`.
  static func routing<R>(to host: String, port: Int, _ body: () throws -> R) throws -> R {
    var registration = git_stream_registration()
    registration.version = Int32(GIT_STREAM_VERSION)
    registration.`init` = { out, _, _ in ProxySocketStream.make(out) }
    target.current = (host, port)
    defer { target.current = nil }
    try gitCheck(
      "git_stream_register", git_stream_register(GIT_STREAM_STANDARD, &registration))
    defer { _ = git_stream_register(GIT_STREAM_STANDARD, nil) }
    return try body()
  }

  /// A new unconnected stream into `out`.
  private static func make(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_stream>?>?)
    -> Int32
  {
    guard let out else { return -1 }
    let stream = UnsafeMutablePointer<annostore_socket_stream>.allocate(capacity: 1)
    stream.initialize(to: annostore_socket_stream())
    stream.pointee.fd = -1
    stream.pointee.parent.version = Int32(GIT_STREAM_VERSION)
    stream.pointee.parent.connect = { stream in
      guard let stream else { return -1 }
      return ProxySocketStream.connect(ProxySocketStream.socketStream(stream))
    }
    stream.pointee.parent.read = { stream, buffer, size in
      guard let stream, let buffer else { return -1 }
      let fd = ProxySocketStream.socketStream(stream).pointee.fd
      let count = ProxySocketStream.retryingInterrupted { recv(fd, buffer, size, 0) }
      return count < 0 ? ProxySocketStream.fail("could not read from the proxy") : count
    }
    stream.pointee.parent.write = { stream, data, length, _ in
      guard let stream, let data else { return -1 }
      let fd = ProxySocketStream.socketStream(stream).pointee.fd
      let count = ProxySocketStream.retryingInterrupted {
        send(fd, data, length, Int32(MSG_NOSIGNAL))
      }
      return count < 0 ? ProxySocketStream.fail("could not write to the proxy") : count
    }
    stream.pointee.parent.close = { stream in
      guard let stream else { return 0 }
      ProxySocketStream.closeSocket(ProxySocketStream.socketStream(stream))
      return 0
    }
    stream.pointee.parent.free = { stream in
      guard let stream else { return }
      let socketStream = ProxySocketStream.socketStream(stream)
      ProxySocketStream.closeSocket(socketStream)
      socketStream.deinitialize(count: 1)
      socketStream.deallocate()
    }
    out.pointee = UnsafeMutableRawPointer(stream).assumingMemoryBound(to: git_stream.self)
    return 0
  }

  /// Connects `stream` to the routing's target, trying each of its addresses in turn.
  private static func connect(_ stream: UnsafeMutablePointer<annostore_socket_stream>) -> Int32 {
    guard let (host, port) = target.current else {
      return Int32(fail("no proxy to connect to"))
    }
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    let resolved = getaddrinfo(host, String(port), &hints, &list)
    guard resolved == 0 else {
      let reason = String(cString: gai_strerror(resolved))
      return Int32(fail("failed to resolve address for \(host): \(reason)", errno: 0))
    }
    defer { freeaddrinfo(list) }
    var lastError: Int32 = ECONNREFUSED
    var entry = list
    while let info = entry?.pointee {
      let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
      if fd >= 0 {
        if Glibc.connect(fd, info.ai_addr, info.ai_addrlen) == 0 {
          stream.pointee.fd = fd
          return 0
        }
        lastError = errno
        close(fd)
      } else {
        lastError = errno
      }
      entry = info.ai_next
    }
    return Int32(fail("failed to connect to \(host)", errno: lastError))
  }

  /// `call`'s result, calling it again while a signal interrupts it.
  private static func retryingInterrupted(_ call: () -> Int) -> Int {
    while true {
      let result = call()
      if result >= 0 || errno != EINTR { return result }
    }
  }

  private static func closeSocket(_ stream: UnsafeMutablePointer<annostore_socket_stream>) {
    if stream.pointee.fd >= 0 { close(stream.pointee.fd) }
    stream.pointee.fd = -1
  }

  /// Sets libgit2's network error to `message` (with the system's reason for `errno`)
  /// and returns -1, as libgit2's own streams do on failure.
  private static func fail(_ message: String, errno code: Int32 = errno) -> Int {
    let text = code == 0 ? message : "\(message): \(String(cString: strerror(code)))"
    git_error_set_str(Int32(GIT_ERROR_NET.rawValue), text)
    return -1
  }

  private static func socketStream(_ pointer: UnsafeMutablePointer<git_stream>)
    -> UnsafeMutablePointer<annostore_socket_stream>
  {
    UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: annostore_socket_stream.self)
  }
}
