// What a remote URL says: transport, host, port, user, and whether it carries a secret.

/// A remote URL taken apart the way git reads it: `scheme://[user[:secret]@]host[:port]/path`,
/// scp-like `[user@]host:path` (ssh), or a local path.
public struct RemoteURL: Sendable, Equatable {
  /// The transport a URL selects.
  public enum Transport: String, Sendable {
    case local, git, http, https, ssh
  }

  /// The URL as given.
  public var text: String
  public var transport: Transport
  /// The host, nil for local paths.
  public var host: String?
  /// The port the URL names, nil for the transport's default.
  public var port: Int?
  /// The user the URL names, if any.
  public var user: String?
  /// Whether the URL embeds a password or token (`user:secret@host`).
  public var hasSecret: Bool

  public init(_ text: String) {
    self.text = text
    transport = .local
    host = nil
    port = nil
    user = nil
    hasSecret = false
    if let schemeEnd = text.range(of: "://") {
      let scheme = text[..<schemeEnd.lowerBound].lowercased()
      switch scheme {
      case "file": return
      case "git": transport = .git
      case "http": transport = .http
      case "https": transport = .https
      case "ssh", "ssh+git", "git+ssh": transport = .ssh
      default: return
      }
      let rest = text[schemeEnd.upperBound...]
      parseAuthority(String(rest.prefix { $0 != "/" }))
      return
    }
    // scp-like syntax: a colon before any slash, and not a Windows drive letter.
    guard let colon = text.firstIndex(of: ":"),
      !text[..<colon].contains("/"), text.distance(from: text.startIndex, to: colon) > 1
    else { return }
    transport = .ssh
    parseAuthority(String(text[..<colon]), allowPort: false)
  }

  /// The port in use: the URL's own, else the transport's default (nil for local paths).
  public var effectivePort: Int? {
    if let port { return port }
    switch transport {
    case .local: return nil
    case .git: return 9418
    case .http: return 80
    case .https: return 443
    case .ssh: return 22
    }
  }

  /// The URL with any embedded secret replaced by `***`, safe to print.
  public var redacted: String {
    guard hasSecret, let at = text.firstIndex(of: "@"),
      let schemeEnd = text.range(of: "://"), schemeEnd.upperBound < at
    else { return text }
    let userInfo = text[schemeEnd.upperBound..<at]
    let name = userInfo.prefix { $0 != ":" }
    return text[..<schemeEnd.upperBound] + name + ":***" + text[at...]
  }

  /// `host:port` (or `[host]:port` for a non-default ssh port, as known_hosts writes it).
  var knownHostsName: String? {
    guard let host else { return nil }
    let port = effectivePort ?? 22
    return port == 22 ? host : "[\(host)]:\(port)"
  }

  private mutating func parseAuthority(_ authority: String, allowPort: Bool = true) {
    var hostPart = Substring(authority)
    if let at = authority.lastIndex(of: "@") {
      let userInfo = authority[..<at]
      hostPart = authority[authority.index(after: at)...]
      if let colon = userInfo.firstIndex(of: ":") {
        user = String(userInfo[..<colon])
        hasSecret = true
      } else {
        user = String(userInfo)
      }
    }
    if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {
      host = String(hostPart[hostPart.index(after: hostPart.startIndex)..<close])
      let after = hostPart[hostPart.index(after: close)...]
      if allowPort, after.hasPrefix(":") { port = Int(after.dropFirst()) }
    } else if allowPort, let colon = hostPart.lastIndex(of: ":") {
      host = String(hostPart[..<colon])
      port = Int(hostPart[hostPart.index(after: colon)...])
    } else {
      host = String(hostPart)
    }
  }
}
