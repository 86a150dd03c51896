import AnnostoreGit
import Foundation

/// Who is recorded as the author of commits: `--author "Name <email>"`, else the
/// environment (`ANNOSTORE_AUTHOR_NAME`, `ANNOSTORE_AUTHOR_EMAIL`), else a neutral default.
public struct Identity: Sendable, Equatable {
  public var name: String
  public var email: String

  public init(name: String, email: String) {
    self.name = name
    self.email = email
  }

  /// Parses `Name <email>`.
  public init(parsing text: String) throws {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") else {
      throw AnnostoreError(
        .usage, "--author \"\(text)\" is not of the form \"Name <email>\"",
        hint: "For example: --author \"Ada Lovelace <ada@example.org>\"")
    }
    let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
    let email = String(
      trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
    guard !name.isEmpty, !email.contains("<"), !email.contains(">"), !name.contains("\n") else {
      throw AnnostoreError(.usage, "--author \"\(text)\" is not of the form \"Name <email>\"")
    }
    self.init(name: name, email: email)
  }

  /// The identity from the environment, or the default one.
  public static func fromEnvironment() -> Identity {
    let environment = ProcessInfo.processInfo.environment
    return Identity(
      name: environment["ANNOSTORE_AUTHOR_NAME"] ?? "annostore",
      email: environment["ANNOSTORE_AUTHOR_EMAIL"] ?? "annostore@localhost")
  }

  /// A signature for this identity at the current time.
  func signatureNow() -> Signature {
    let now = Date()
    let offset = TimeZone.current.secondsFromGMT(for: now) / 60
    return Signature(
      name: name, email: email, time: Int64(now.timeIntervalSince1970),
      offsetMinutes: Int32(offset))
  }
}
