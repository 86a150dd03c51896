// Keeping the number of packs small: every write adds one pack, and a store written to for
// years would otherwise hold thousands.

import CGit2
import Foundation

extension Repository {
  /// How many packs a repository holds before `consolidatePacks` merges them (git's
  /// `gc.autoPackLimit` has the same default).
  public static let packLimit = 50

  /// When the repository holds more than `limit` packs, copies the objects of every pack
  /// but the largest into one new pack and removes the packs copied; returns how many were
  /// merged (0 when there were few enough).
  ///
  /// Every write command adds a pack, and each pack costs a file descriptor and a lookup
  /// for every object read, in libgit2 and in `ObjectReader`. Merging all but the largest
  /// keeps the cost bounded by the small packs' size, and the base pack of a large store
  /// is never rewritten. Nothing is dropped, reachable or not, and each object is checked
  /// against its id as it is copied; the new pack is in place before any old one is
  /// removed, so a reader finds every object at every moment. Packs marked `.keep` and
  /// packs `ObjectReader` cannot read are left alone.
  @discardableResult
  public func consolidatePacks(beyond limit: Int = Repository.packLimit) throws -> Int {
    let directory = path + "/objects/pack"
    let candidates = try Self.packSizes(in: directory)
    guard candidates.count > limit else { return 0 }
    let largest = candidates.max { $0.value < $1.value }?.key
    let merged = try PackSet(repositoryPath: path) { name in
      name != largest && candidates[name] != nil
    }
    guard merged.packs.count > 1 else { return 0 }
    let reader = try ObjectReader(packs: merged, verifying: true)
    let writer = try PackWriter(repository: self)
    do {
      for pack in merged.packs {
        for position in 0..<pack.index.count {
          let id = pack.index.id(at: position)
          let (kind, content) = try reader.object(id)
          try writer.add(kind, content, id: id)
        }
      }
      try writer.install()
    } catch {
      writer.discard()
      throw error
    }
    for pack in merged.packs {
      let base = String(pack.data.path.dropLast(".pack".count))
      // The index first: a pack without its index is invisible to every reader.
      for suffix in [".idx", ".pack", ".rev", ".bitmap"] { unlink(base + suffix) }
    }
    try gitCheck("git_odb_refresh", git_odb_refresh(objectDatabase.pointer))
    return merged.packs.count
  }

  /// The packs of `directory` (`pack-<sha>` names) with their sizes in bytes, leaving out
  /// those marked `.keep`.
  private static func packSizes(in directory: String) throws -> [String: Int] {
    guard access(directory, F_OK) == 0 else { return [:] }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory)
    } catch {
      throw GitError(call: "consolidatePacks", message: "\(directory): \(error)", kind: .other)
    }
    let present = Set(names)
    var sizes: [String: Int] = [:]
    for name in names where name.hasPrefix("pack-") && name.hasSuffix(".pack") {
      let base = String(name.dropLast(".pack".count))
      guard present.contains(base + ".idx"), !present.contains(base + ".keep") else { continue }
      var status = stat()
      guard stat(directory + "/" + name, &status) == 0 else { continue }
      sizes[base] = Int(status.st_size)
    }
    return sizes
  }
}
