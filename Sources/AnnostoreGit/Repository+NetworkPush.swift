// Pushing to a network remote (http, https, git, ssh) with a pack written by us, sent over
// the connection libgit2 makes.

import CGit2
import Foundation

extension Repository {
  /// Pushes `refspecs` (`src:dst`, no wildcards, no `+`) to the remote `name`, then moves
  /// the matching remote-tracking branches.
  ///
  /// libgit2 connects and reads the remote's references (TLS, HTTP logins, certificate
  /// and host-key checks stay libgit2's). The pack is ours: libgit2 1.5's pack builder
  /// inflates and compresses again every object on one core, about twice what `git push`
  /// takes for millions of objects, so the objects the remote lacks are found by
  /// `PushObjectWalk` and packed by the parallel `PackWriter`, then sent with the update
  /// commands on libgit2's receive-pack stream (`ReceivePackStream`) while it is being
  /// compressed, so the remote indexes the first objects while later ones are packed.
  ///
  /// A reference must fast-forward (`.nonFastForward` otherwise, before anything is sent);
  /// any reference the server refuses makes the push fail, naming it and the server's
  /// reason. The server moves its references only once it holds the whole pack, and the
  /// remote-tracking branches here move only after it reports success, so a broken
  /// connection or a refusal leaves both sides as they were. An HTTP(S) remote is reached
  /// through `access.proxy` when it names one.
  public func push(
    remote name: String, refspecs: [String], access: RemoteAccess,
    progress: ((TransferProgress) -> Void)? = nil
  ) throws -> PushResult {
    let remote = try lookupRemote(name)
    let info = try self.remote(named: name)
    let url = info?.pushURL ?? info?.url ?? ""
    let session = RemoteSession(url: url, access: access, progress: progress)
    var callbacks = git_remote_callbacks()
    try gitCheck(
      "git_remote_init_callbacks",
      git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)))
    session.install(into: &callbacks)
    callbacks.transport = { out, owner, payload in
      BufferedSubtransport.makeTransport(out, owner, payload)
    }
    return try session.withProxyOptions { proxy in
      try session.run {
        try pushConnected(
          remote, name: name, url: url, refspecs: refspecs, session: session,
          connect: { git_remote_connect($0, GIT_DIRECTION_PUSH, &callbacks, &proxy, nil) })
      }
    }
  }

  /// The rest of `push` once the callbacks and proxy are in place: `connect` opens
  /// libgit2's connection on `remote`, then the references and the pack go out on it.
  private func pushConnected(
    _ remote: GitHandle, name: String, url: String, refspecs: [String], session: RemoteSession,
    connect: (OpaquePointer) -> Int32
  ) throws -> PushResult {
    let code = remote.use { connect($0) }
    guard code >= 0 else { throw session.error(call: "git_remote_connect", code: code) }
    defer { remote.use { _ = git_remote_disconnect($0) } }
    let advertised = try advertisedReferences(remote)
    let updates = try referenceUpdates(refspecs, advertised: advertised)
    guard !updates.isEmpty else {
      return PushResult(updates: [], sentObjects: 0, sentBytes: 0)
    }
    let reporter = ProgressThrottle(session.progress)
    let reader = try makeBulkReader()
    let objects = try missingObjects(
      for: updates, advertised: Array(Set(advertised.values)), reader: reader,
      reporter: reporter)
    let stream = try ReceivePackStream(session: session, url: url)
    defer { stream.close() }
    try ReceivePackProtocol.commands(updates).withUnsafeBytes { try stream.write($0) }
    let sent = try sendPack(of: objects, reader: reader, on: stream, reporter: reporter)
    let report = try readReport(from: stream)
    try check(report)
    try updateTrackingBranches(remote: name, after: updates)
    return PushResult(updates: updates, sentObjects: objects.count, sentBytes: sent)
  }

  /// The references the connected `remote` advertised, by name (peeled `^{}` entries
  /// under their own names).
  private func advertisedReferences(_ remote: GitHandle) throws -> [String: ObjectID] {
    var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
    var count = 0
    try remote.use { _ = try gitCheck("git_remote_ls", git_remote_ls(&heads, &count, $0)) }
    var references: [String: ObjectID] = [:]
    for index in 0..<count {
      guard let head = heads?[index]?.pointee, let name = head.name,
        let id = RemoteSession.nonZero(head.oid)
      else { continue }
      references[String(cString: name)] = id
    }
    return references
  }

  /// What to ask the remote to change: each refspec's destination moved to what its
  /// source names here, unless it already points there. Refuses a move that is not a
  /// fast-forward (or a tag with another target) before anything is sent.
  private func referenceUpdates(_ refspecs: [String], advertised: [String: ObjectID]) throws
    -> [ReferenceUpdate]
  {
    var updates: [ReferenceUpdate] = []
    for refspec in refspecs {
      let parts = refspec.split(separator: ":", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].hasPrefix("+") else {
        throw GitError(call: "push", message: "unsupported refspec \(refspec)", kind: .invalid)
      }
      guard let local = try reference(parts[0]) else {
        throw GitError(call: "push", message: "\(parts[0]) does not exist here", kind: .notFound)
      }
      let current = advertised[parts[1]]
      if current == local { continue }
      if let current { try checkFastForward(parts[1], from: current, to: local, call: "push") }
      updates.append(ReferenceUpdate(name: parts[1], old: current, new: local))
    }
    return updates
  }

  /// Every object the updates' targets reach that the remote lacks.
  private func missingObjects(
    for updates: [ReferenceUpdate], advertised: [ObjectID], reader: ObjectReader,
    reporter: ProgressThrottle
  ) throws -> [ObjectID] {
    var walk = try PushObjectWalk(repository: self, reader: reader, advertised: advertised) {
      reporter.report(.counting, $0, 0, 0)
    }
    try walk.add(updates.compactMap(\.new))
    reporter.report(.counting, walk.objects.count, walk.objects.count, 0, force: true)
    return walk.objects
  }

  /// Packs `objects` and streams the pack on `stream` as it is compressed (an empty pack
  /// when there are none, as receive-pack expects a pack after any update); the pack's
  /// size in bytes.
  private func sendPack(
    of objects: [ObjectID], reader: ObjectReader, on stream: ReceivePackStream,
    reporter: ProgressThrottle
  ) throws -> Int {
    let writer = try PackWriter(
      streamingTo: { try stream.write($0) }, objectCount: objects.count)
    let bytes = try writer.add(objects, from: reader, reporter: reporter)
    let sent = try writer.finishStream()
    reporter.report(.sending, objects.count, objects.count, bytes, force: true)
    return sent
  }

  /// Reads the remote's status report to its closing flush packet.
  private func readReport(from stream: ReceivePackStream) throws -> ReceivePackProtocol.Report {
    var reader = ReceivePackProtocol.ReportReader()
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      if let report = reader.report { return report }
      let count = try stream.read(into: buffer)
      guard count > 0 else {
        throw GitError(
          call: "receive-pack", message: "the remote closed the connection before reporting",
          kind: .network)
      }
      try reader.take(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }
  }

  /// Throws when the remote did not store the pack or refused a reference.
  private func check(_ report: ReceivePackProtocol.Report) throws {
    guard report.unpack == "ok" else {
      throw GitError(
        call: "receive-pack", message: "the remote could not store the pack: \(report.unpack)")
    }
    guard report.refused.isEmpty else {
      let reasons = report.refused.map { "\($0.reference): \($0.reason)" }
      let nonFastForward = report.refused.contains { refusal in
        let reason = refusal.reason.lowercased()
        return reason.contains("fast-forward") || reason.contains("fast forward")
          || reason.contains("fetch first") || reason.contains("stale")
      }
      throw GitError(
        call: "receive-pack", message: "the remote refused " + reasons.joined(separator: "; "),
        kind: nonFastForward ? .nonFastForward : .other)
    }
  }
}
