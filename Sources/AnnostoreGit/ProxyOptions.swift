// libgit2's proxy options for one remote operation, from the proxy `RemoteAccess` names.

import CGit2
import Foundation

extension RemoteSession {
  /// Runs `body` with libgit2 proxy options for this session: the access's proxy, given
  /// explicitly (`GIT_PROXY_SPECIFIED`), for an HTTP(S) remote, else no proxy at all
  /// (`GIT_PROXY_NONE`, so libgit2 never guesses one). The URL stays valid for the call.
  ///
  /// libgit2 itself logs in to a proxy with the user and password its URL carries; a proxy
  /// that asks for another login ends the operation with a clear error. A plain http://
  /// remote, which libgit2 1.5 would reach directly despite the proxy, has its connections
  /// routed to the proxy by `ProxySocketStream`. Refused before any connection, naming the
  /// proxy without its password: a proxy scheme libgit2 cannot speak (socks, ...), and an
  /// https:// proxy for a plain http:// remote (that routing speaks no TLS).
  func withProxyOptions<R>(_ body: (inout git_proxy_options) throws -> R) throws -> R {
    var options = git_proxy_options()
    try gitCheck(
      "git_proxy_options_init",
      git_proxy_options_init(&options, UInt32(GIT_PROXY_OPTIONS_VERSION)))
    guard let proxy = usedProxy else { return try body(&options) }
    let scheme = proxy.prefix { $0 != ":" }.lowercased()
    guard scheme == "http" || scheme == "https" else {
      throw GitError(
        call: "proxy",
        message: "the proxy \(Self.redacted(proxy)) is not an http:// or https:// proxy, "
          + "the only kinds annostore can use", kind: .proxy)
    }
    let proxyURL = RemoteURL(proxy)
    guard url.transport == .https || proxyURL.transport == .http, let host = proxyURL.host,
      let port = proxyURL.effectivePort
    else {
      throw GitError(
        call: "proxy",
        message: "cannot reach the http:// remote through the https:// proxy "
          + "\(Self.redacted(proxy)): annostore reaches plain http:// remotes through "
          + "http:// proxies only; use the remote's https:// URL", kind: .proxy)
    }
    return try proxy.withCString { text in
      options.type = GIT_PROXY_SPECIFIED
      options.url = text
      options.payload = Unmanaged.passUnretained(self).toOpaque()
      options.credentials = { _, _, _, _, payload in
        guard let payload else { return GIT_EAUTH.rawValue }
        return Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
          .refuseProxyLogin()
      }
      guard url.transport == .http else { return try body(&options) }
      return try ProxySocketStream.routing(to: host, port: port) { try body(&options) }
    }
  }

  /// Called by libgit2 when the proxy asks for a login that the proxy URL did not give, or
  /// refused the one it gave: records why, for `error(call:code:)`, and stops libgit2.
  private func refuseProxyLogin() -> Int32 {
    guard let proxy = usedProxy else { return GIT_EAUTH.rawValue }
    let withLogin = RemoteURL(ProxyRule.withScheme(proxy)).hasSecret
    let reason =
      withLogin
      ? "the proxy \(Self.redacted(proxy)) refused the user and password of its URL"
      : "the proxy \(Self.redacted(proxy)) asks for a login: give it in the proxy URL "
        + "(http://user:password@host:port)"
    if failure == nil {
      failure = GitError(call: "proxy credentials", message: reason, kind: .proxy)
    }
    return GIT_EAUTH.rawValue
  }

  /// The proxy this session's connections go through: the access's, for HTTP(S) only.
  var usedProxy: String? {
    guard url.transport == .http || url.transport == .https else { return nil }
    return access.proxy.flatMap { $0.isEmpty ? nil : ProxyRule.withScheme($0) }
  }

  /// `text` with the password `proxy` carries, if any, replaced by `***`.
  static func hidingPassword(of proxy: String, in text: String) -> String {
    let url = ProxyRule.withScheme(proxy)
    guard let schemeEnd = url.range(of: "://") else { return text }
    let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" }
    guard let at = authority.lastIndex(of: "@"),
      let colon = authority[..<at].firstIndex(of: ":")
    else { return text }
    let password = authority[authority.index(after: colon)..<at]
    return password.isEmpty ? text : text.replacingOccurrences(of: password, with: "***")
  }

  /// `proxy` with any password replaced by `***`, safe to print.
  static func redacted(_ proxy: String) -> String {
    RemoteURL(ProxyRule.withScheme(proxy)).redacted
  }
}
