import AnnostoreGit
import Foundation

/// A one-line display of a transfer (objects and bytes) on standard error, only when it
/// is a terminal.
final class TransferProgressLine {
  let enabled: Bool
  private var shown = false

  init() {
    enabled = isatty(2) == 1
  }

  /// Shows one progress report (the transfer layer reports at most every 100 ms).
  func show(_ progress: TransferProgress) {
    guard enabled else { return }
    let label: String
    switch progress.phase {
    case .receiving: label = "Receiving objects"
    case .indexing: label = "Resolving deltas"
    case .counting: label = "Counting objects"
    case .sending: label = "Sending objects"
    }
    var text = "\r\(label): \(progress.objects)"
    if progress.totalObjects > 0 {
      text +=
        "/\(progress.totalObjects) (\(min(100, progress.objects * 100 / progress.totalObjects))%)"
    }
    if progress.bytes > 0 { text += ", " + ProgressLine.megabytes(progress.bytes) }
    FileHandle.standardError.write(Data((text + "\u{1B}[K").utf8))
    shown = true
  }

  /// Clears the line.
  func finish() {
    guard shown else { return }
    shown = false
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}
