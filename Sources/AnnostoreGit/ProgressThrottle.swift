// Progress reports of a push, at most ten a second, and packing its objects with them.

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

extension PackWriter {
  /// Adds the objects `ids` as `reader` reads them, reporting each as sent; the bytes of
  /// content added (what a push's progress counts).
  func add(_ ids: [ObjectID], from reader: ObjectReader, reporter: ProgressThrottle) throws
    -> Int
  {
    var bytes = 0
    for (index, id) in ids.enumerated() {
      let (kind, content) = try reader.object(id)
      try add(kind, content, id: id)
      bytes += content.count
      reporter.report(.sending, index + 1, ids.count, bytes)
    }
    return bytes
  }
}
