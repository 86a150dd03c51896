import Foundation

/// An exclusive lock on a store, held by one writing command at a time: a file created
/// with O_EXCL in the repository directory, removed when the lock is released.
final class StoreLock {
  private let path: String
  private var held = true

  /// Takes the lock, waiting up to `timeout` seconds for another writer to finish.
  init(storePath: String, timeout: Double = 3) throws {
    path = (storePath as NSString).appendingPathComponent("annostore.lock")
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let descriptor = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY, 0o644)
      if descriptor >= 0 {
        let note = "pid \(getpid())\n"
        _ = note.withCString { write(descriptor, $0, strlen($0)) }
        close(descriptor)
        return
      }
      guard errno == EEXIST else {
        throw AnnostoreError(
          .other, "cannot create the lock file \(path): \(String(cString: strerror(errno)))")
      }
      if Date() >= deadline {
        throw AnnostoreError(
          .other, "the store is busy: another annostore command is writing to it",
          hint: "Wait for it to finish and retry. If no other command is running, a crashed "
            + "one left \(path) behind: remove that file.")
      }
      usleep(50_000)
    }
  }

  /// Releases the lock.
  func release() {
    guard held else { return }
    held = false
    unlink(path)
  }

  deinit { release() }
}
