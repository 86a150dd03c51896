// Answering libgit2's credential requests: ssh keys and agent, HTTP user and token.

import CGit2
import Foundation

/// Where an ssh key can come from.
enum SSHKeySource: Equatable {
  case agent
  case file(String)

  /// How the source is named in messages.
  var label: String {
    switch self {
    case .agent: return "the ssh agent"
    case .file(let path): return "the key \(path)"
    }
  }

  /// The sources to try in order: the configured key alone, else the agent (when one
  /// runs) and the usual key files that exist.
  static func candidates(for access: RemoteAccess) -> [SSHKeySource] {
    if let path = access.sshKeyPath { return [.file(path)] }
    let environment = ProcessInfo.processInfo.environment
    var sources: [SSHKeySource] = []
    if let socket = environment["SSH_AUTH_SOCK"], !socket.isEmpty { sources.append(.agent) }
    let home = environment["HOME"] ?? NSHomeDirectory()
    for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
      let path = home + "/.ssh/" + name
      if FileManager.default.isReadableFile(atPath: path) { sources.append(.file(path)) }
    }
    return sources
  }
}

extension RemoteSession {
  /// libgit2's credential callback. Each ssh key source and the HTTP user/token are
  /// offered once: libgit2 asks again after a refusal, and the second request for the same
  /// thing ends the operation with an authentication failure instead of a loop.
  func acquireCredential(
    _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, usernameFromURL: String?,
    allowed: UInt32
  ) -> Int32 {
    let host = url.host ?? url.text
    if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
      let sources = SSHKeySource.candidates(for: access)
      let user = usernameFromURL ?? url.user ?? access.sshUser ?? Self.localUserName
      guard sshAttempts < sources.count else {
        let tried = sources.map(\.label).joined(separator: ", ")
        return refuse(
          sources.isEmpty
            ? "no ssh key to offer to \(host): give --ssh-key PATH, set annostore.sshKey, "
              + "or start an ssh agent"
            : "authentication failed: \(host) refused \(tried) for user \(user)")
      }
      let source = sources[sshAttempts]
      sshAttempts += 1
      offeredCredential = true
      switch source {
      case .agent:
        return git_credential_ssh_key_from_agent(out, user)
      case .file(let path):
        guard FileManager.default.isReadableFile(atPath: path) else {
          return refuse("cannot read the ssh key \(path)")
        }
        let publicKey = path + ".pub"
        let hasPublic = FileManager.default.isReadableFile(atPath: publicKey)
        return git_credential_ssh_key_new(out, user, hasPublic ? publicKey : nil, path, nil)
      }
    }
    if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
      return git_credential_username_new(out, url.user ?? access.sshUser ?? Self.localUserName)
    }
    if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
      httpAttempts += 1
      let user = access.httpUser ?? usernameFromURL ?? url.user
      guard httpAttempts == 1 else {
        let from = httpLoginFromHelper ? "the login from the git credential helper" : "the token"
        return refuse(
          "authentication failed: \(host) refused \(from) for user \(httpUser ?? "annostore")")
      }
      if let token = access.httpToken {
        httpUser = user ?? "annostore"
        offeredCredential = true
        return git_credential_userpass_plaintext_new(out, httpUser, token)
      }
      if let login = helperLogin(user: user) {
        httpUser = login.user ?? user ?? "annostore"
        httpLoginFromHelper = true
        offeredCredential = true
        return git_credential_userpass_plaintext_new(out, httpUser, login.password)
      }
      return refuse(
        "authentication failed: \(host) asks for a user and token, and none is set "
          + "(ANNOSTORE_HTTP_USER, ANNOSTORE_HTTP_TOKEN) nor known to a git credential helper")
    }
    return refuse("authentication failed: \(host) asks for a kind of login annostore cannot give")
  }

  /// The first login a configured git credential helper gives for this URL.
  private func helperLogin(user: String?) -> (user: String?, password: String)? {
    guard url.transport == .http || url.transport == .https, let host = url.host else {
      return nil
    }
    let hostField = host + (url.port.map { ":\($0)" } ?? "")
    for helper in CredentialHelper.helpers(for: url.text, in: access.credentialConfig) {
      let answer = helper.ask(scheme: url.transport.rawValue, host: hostField, user: user)
      if let password = answer.password { return (answer.user ?? user, password) }
      if answer.quit { break }
    }
    return nil
  }

  /// Records an authentication refusal and returns the code that stops libgit2.
  private func refuse(_ message: String) -> Int32 {
    if failure == nil {
      failure = GitError(call: "credentials", message: message, kind: .auth)
    }
    return GIT_EAUTH.rawValue
  }

  /// The local user name, the ssh default when the URL names no user.
  static var localUserName: String {
    if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
    if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
      return String(cString: name)
    }
    return "git"
  }
}
