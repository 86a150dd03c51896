// Which proxy, if any, an HTTP(S) remote is reached through: git's rules, in one place.

/// Decides the proxy for a remote URL the way the git CLI (through curl) does, from what
/// git's configuration and the environment say. A plain value: reading the config and the
/// environment is the caller's job, so the rules can be tested alone.
///
/// - Only `http://` and `https://` remotes use a proxy; ssh, git:// and local paths never.
/// - The configured proxy (`remote.<name>.proxy`, else `http.proxy`) comes first; without
///   one, `https_proxy` then `HTTPS_PROXY` for an https URL, `http_proxy` then `HTTP_PROXY`
///   for an http URL (the first of the pair that is set counts).
/// - An empty value means no proxy (an empty config value also overrides the environment,
///   as in git).
/// - `no_proxy` (else `NO_PROXY`) lists hosts reached directly, separated by commas or
///   spaces: `*` is every host; `example.org` (or `.example.org`) is that host and every
///   host under it; a port in an entry is ignored; names compare without regard to case.
///   As in git, it applies to a configured proxy too.
/// - A proxy without a scheme (`proxy:3128`) is an `http://` proxy, as in git.
public struct ProxyRule: Sendable, Equatable {
  /// The proxy git's configuration names (`remote.<name>.proxy`, else `http.proxy`), nil
  /// when it names none; an empty string turns any proxy off.
  public var configured: String?
  /// The environment variables consulted (`http_proxy`, `no_proxy`, ...): the process's
  /// own, or a test's.
  public var environment: [String: String]

  /// A rule as given.
  public init(configured: String?, environment: [String: String]) {
    self.configured = configured
    self.environment = environment
  }

  /// The proxy URL (with a scheme) to reach `url` through, nil for a direct connection.
  public func proxy(for url: String) -> String? {
    let remote = RemoteURL(url)
    let names: [String]
    switch remote.transport {
    case .https: names = ["https_proxy", "HTTPS_PROXY"]
    case .http: names = ["http_proxy", "HTTP_PROXY"]
    default: return nil
    }
    guard let chosen = configured ?? firstSet(names), !chosen.isEmpty else { return nil }
    if let host = remote.host, let list = firstSet(["no_proxy", "NO_PROXY"]),
      Self.bypasses(host: host, noProxy: list)
    {
      return nil
    }
    return Self.withScheme(chosen)
  }

  /// Whether `noProxy` (a `no_proxy` value) exempts `host` from the proxy.
  public static func bypasses(host: String, noProxy: String) -> Bool {
    let host = normalizedHost(host)
    guard !host.isEmpty else { return false }
    let entries = noProxy.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" })
    for raw in entries {
      if raw == "*" { return true }
      var entry = normalizedHost(withoutPort(raw))
      while entry.hasPrefix(".") { entry.removeFirst() }
      guard !entry.isEmpty else { continue }
      if host == entry || host.hasSuffix("." + entry) { return true }
    }
    return false
  }

  /// `proxy` with `http://` in front when it names no scheme.
  public static func withScheme(_ proxy: String) -> String {
    proxy.contains("://") ? proxy : "http://" + proxy
  }

  /// The value of the first of `names` that is set, empty or not.
  private func firstSet(_ names: [String]) -> String? {
    for name in names {
      if let value = environment[name] { return value }
    }
    return nil
  }

  /// A `no_proxy` entry without its port: `host:80` and `[::1]:80` lose `:80`; a bare IPv6
  /// address (several colons) stays whole.
  private static func withoutPort(_ entry: Substring) -> Substring {
    if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
      return entry[entry.index(after: entry.startIndex)..<close]
    }
    let colons = entry.filter { $0 == ":" }.count
    guard colons == 1, let colon = entry.firstIndex(of: ":") else { return entry }
    return entry[..<colon]
  }

  /// A host name lower-cased, without brackets or a trailing dot.
  private static func normalizedHost<S: StringProtocol>(_ host: S) -> String {
    var name = host.lowercased()
    if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
    while name.hasSuffix(".") { name.removeLast() }
    return name
  }
}
