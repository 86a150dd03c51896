// Asking git credential helpers for an HTTP(S) login, as git does.

import Foundation

/// One entry of git's configuration: its full name (`credential.https://host.helper`) and
/// value.
public struct ConfigEntry: Sendable, Equatable {
  public var name: String
  public var value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// A git credential helper: a program that keeps logins for git and hands them out on
/// request (`git credential-store`, `credential-cache`, `credential-libsecret`, a lab's own
/// script), configured as `credential.helper` or `credential.<url>.helper`.
///
/// annostore speaks git's credential protocol to it (`get`, fields on standard input and
/// output) so that a login set up once for git serves annostore too. It only asks: it
/// never tells a helper to store or erase a login, so a helper's contents change only
/// through git or the user.
public struct CredentialHelper: Sendable, Equatable {
  /// The helper as configured: a name with arguments (`store --file ~/.logins`, run as
  /// `git credential-store --file ~/.logins`), an absolute path with arguments, or `!`
  /// followed by a shell command.
  public var configured: String

  public init(_ configured: String) {
    self.configured = configured
  }

  /// The helpers that apply to `url`, in the order git asks them: every
  /// `credential.helper` and every `credential.<prefix>.helper` whose prefix the URL starts
  /// with, in configuration order; an empty value forgets the helpers listed before it.
  public static func helpers(for url: String, in entries: [ConfigEntry]) -> [CredentialHelper] {
    var helpers: [CredentialHelper] = []
    for entry in entries where applies(entry.name, to: url) {
      if entry.value.isEmpty {
        helpers.removeAll()
      } else {
        helpers.append(CredentialHelper(entry.value))
      }
    }
    return helpers
  }

  private static func applies(_ name: String, to url: String) -> Bool {
    let lowered = name.lowercased()
    guard lowered.hasPrefix("credential."), lowered.hasSuffix(".helper") else { return false }
    if lowered == "credential.helper" { return true }
    let prefix = name.dropFirst("credential.".count).dropLast(".helper".count)
    guard !prefix.isEmpty else { return false }
    if prefix.contains("://") { return url.lowercased().hasPrefix(prefix.lowercased()) }
    // A bare host name (`credential.example.org.helper`) matches that host on any scheme.
    return RemoteURL(url).host?.lowercased() == prefix.lowercased()
  }

  /// The shell command that runs the helper's `action` (`get`, as git runs it).
  var command: String {
    if configured.hasPrefix("!") { return String(configured.dropFirst()) + " get" }
    if configured.hasPrefix("/") { return configured + " get" }
    return "git credential-" + configured + " get"
  }

  /// What a helper answered: the user (nil when it named none) and the password or token;
  /// `quit` when it asked that no further helper be asked.
  struct Answer: Equatable {
    var user: String?
    var password: String?
    var quit = false
  }

  /// Asks the helper for a login to `host` (with `:port` when not the default) over
  /// `scheme` (`http` or `https`), for `user` when one is known. A helper that cannot be
  /// run, fails or knows nothing gives an empty answer: the next helper is asked.
  func ask(scheme: String, host: String, user: String?) -> Answer {
    var request = "protocol=\(scheme)\nhost=\(host)\n"
    if let user { request += "username=\(user)\n" }
    request += "\n"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    do {
      try process.run()
    } catch {
      return Answer()
    }
    // A helper may exit without reading its input: a broken pipe must not stop annostore.
    let previous = signal(SIGPIPE, SIG_IGN)
    try? input.fileHandleForWriting.write(contentsOf: Data(request.utf8))
    try? input.fileHandleForWriting.close()
    signal(SIGPIPE, previous)
    let reply = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return Answer() }
    return Self.parse(String(decoding: reply, as: UTF8.self))
  }

  /// The fields of a helper's reply (`key=value` lines).
  static func parse(_ reply: String) -> Answer {
    var answer = Answer()
    for line in reply.split(separator: "\n", omittingEmptySubsequences: true) {
      guard let equals = line.firstIndex(of: "=") else { continue }
      let key = line[..<equals]
      let value = String(line[line.index(after: equals)...])
      switch key {
      case "username": answer.user = value
      case "password": answer.password = value
      case "quit": answer.quit = value == "1" || value.lowercased() == "true"
      default: continue
      }
    }
    return answer
  }
}
