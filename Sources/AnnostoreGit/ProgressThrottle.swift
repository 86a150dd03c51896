// Progress reports of a push, at most ten a second.

import Dispatch

/// Calls a progress sink at most every 100 ms (and always when forced).
final class ProgressThrottle {
  private let sink: ((TransferProgress) -> Void)?
  private var last = DispatchTime(uptimeNanoseconds: 0)

  init(_ sink: ((TransferProgress) -> Void)?) { self.sink = sink }

  func report(
    _ phase: TransferProgress.Phase, _ objects: Int, _ total: Int, _ bytes: Int,
    force: Bool = false
  ) {
    guard let sink else { return }
    let now = DispatchTime.now()
    guard force || now.uptimeNanoseconds &- last.uptimeNanoseconds >= 100_000_000 else { return }
    last = now
    sink(TransferProgress(phase: phase, objects: objects, totalObjects: total, bytes: bytes))
  }
}
