// The packs of one repository, opened once and shared by every object reader made from
// them: mapped indexes and open pack files, never changed after opening.

import Foundation

/// One pack file open for positioned reads (`pread` needs no shared file position, so any
/// number of threads can read it at once). Closed when the last owner lets go.
final class PackData: Sendable {
  /// Where the pack lives (for messages).
  let path: String
  /// Where the entries end: the pack's size less its 20-byte trailer.
  let entriesEnd: UInt64
  private let descriptor: Int32

  /// Opens the pack at `path` and checks its header and trailer against `index`; throws
  /// `.invalid` when the two do not belong together.
  init(path: String, index: PackIndex) throws {
    self.path = path
    descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw PosixFile.error("open", path) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      close(descriptor)
      throw PosixFile.error("fstat", path)
    }
    let size = UInt64(status.st_size)
    entriesEnd = size >= 32 ? size - 20 : 0
    var header = [UInt8](repeating: 0, count: 12)
    var trailer = [UInt8](repeating: 0, count: 20)
    do {
      guard size >= 32,
        try read(into: &header, at: 0) == 12, try read(into: &trailer, at: entriesEnd) == 20
      else { throw Self.invalid(path, "too short to be a pack") }
      let version =
        UInt32(header[4]) << 24 | UInt32(header[5]) << 16 | UInt32(header[6]) << 8
        | UInt32(header[7])
      let count =
        UInt32(header[8]) << 24 | UInt32(header[9]) << 16 | UInt32(header[10]) << 8
        | UInt32(header[11])
      guard header[0..<4].elementsEqual("PACK".utf8), version == 2 || version == 3 else {
        throw Self.invalid(path, "not a version-2 or version-3 pack")
      }
      guard Int(count) == index.count, ObjectID(rawBytes: trailer) == index.packChecksum else {
        throw Self.invalid(path, "does not match its index")
      }
    } catch {
      close(descriptor)
      throw error
    }
  }

  deinit { close(descriptor) }

  /// Reads up to `buffer.count` bytes at `offset`, fewer only at the end of the file.
  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws -> Int {
    var done = 0
    while done < buffer.count {
      let count = pread(
        descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
      if count > 0 {
        done += count
      } else if count == 0 {
        break
      } else if errno != EINTR {
        throw PosixFile.error("pread", path)
      }
    }
    return done
  }

  private func read(into bytes: inout [UInt8], at offset: UInt64) throws -> Int {
    try bytes.withUnsafeMutableBytes { try read(into: $0, at: offset) }
  }

  private static func invalid(_ path: String, _ reason: String) -> GitError {
    GitError(call: "PackData", message: "\(path): \(reason)", kind: .invalid)
  }
}

/// An index and its pack.
struct Pack: Sendable {
  var index: PackIndex
  var data: PackData
}

/// The packs of one repository as they were when the set was opened, for object readers.
///
/// Immutable and Sendable: make one per repository, then one `ObjectReader` per thread
/// from it, so the index mappings and open files are shared rather than reopened. Packs
/// installed later, loose objects and packs this set could not use are still read,
/// through libgit2.
public final class PackSet: Sendable {
  /// The repository directory, for the libgit2 fallback each reader opens when needed.
  let repositoryPath: String
  /// The usable packs, largest first (the likeliest to hold any id).
  let packs: [Pack]

  /// Opens every `objects/pack/pack-*.idx` of `repository` that has a matching `.pack`.
  /// A pack that cannot be used here (an old index version, a damaged header) is left to
  /// the libgit2 fallback rather than failing the whole set.
  public convenience init(repository: Repository) throws {
    try self.init(repositoryPath: repository.path)
  }

  /// Opens the packs of the repository at `repositoryPath` whose names (`pack-<sha>`)
  /// `including` accepts.
  init(repositoryPath: String, including: (String) -> Bool = { _ in true }) throws {
    self.repositoryPath = repositoryPath
    let directory = repositoryPath + "/objects/pack"
    var names: [String] = []
    if access(directory, F_OK) == 0 {
      do {
        names = try FileManager.default.contentsOfDirectory(atPath: directory)
      } catch {
        throw GitError(call: "PackSet", message: "\(directory): \(error)", kind: .other)
      }
    }
    var packs: [Pack] = []
    for name in names.sorted() where name.hasPrefix("pack-") && name.hasSuffix(".idx") {
      guard including(String(name.dropLast(4))) else { continue }
      let base = directory + "/" + name.dropLast(4)
      do {
        let index = try PackIndex(path: base + ".idx")
        packs.append(Pack(index: index, data: try PackData(path: base + ".pack", index: index)))
      } catch let error as GitError where error.kind == .invalid || error.kind == .notFound {
        continue
      }
    }
    self.packs = packs.sorted { $0.index.count > $1.index.count }
  }

  /// How many packs readers search before falling back to libgit2.
  public var packCount: Int { packs.count }
}
