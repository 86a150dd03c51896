// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "annostore",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "annostore", targets: ["annostore"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // libgit2, seen only by AnnostoreGit.
    .systemLibrary(
      name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
    // libdeflate, zlib and libcrypto: the codecs and hash behind the pack writer.
    .systemLibrary(
      name: "CDeflate", pkgConfig: "libdeflate",
      providers: [.apt(["libdeflate-dev", "zlib1g-dev", "libssl-dev"])]),
    // Where a JSON object ends, 64 bytes at a time (AVX2), for the export scanner; the
    // scanner has its own portable code without those instructions.
    .target(name: "CRecordSpan"),
    // SHA-1 of many short messages two at a time on the CPU's SHA extensions (records'
    // digests); callers fall back to libcrypto without them.
    .target(name: "CSHA1"),
    // The git layer: libgit2 wrapped in Swift types, plus a fast pack writer.
    .target(name: "AnnostoreGit", dependencies: ["CGit2", "CDeflate"]),
    // NimbusImage documents, JSON parsing, canonical JSON, CSV/JSON writers. No git.
    .target(name: "AnnostoreModel", dependencies: ["CRecordSpan"]),
    // The store: layout, snapshot commits, export, verify.
    .target(name: "AnnostoreStore", dependencies: ["AnnostoreGit", "AnnostoreModel", "CSHA1"]),
    // Command-line surface: one file per command.
    .target(
      name: "AnnostoreCLI",
      dependencies: [
        "AnnostoreStore", "AnnostoreModel",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "annostore", dependencies: ["AnnostoreCLI"]),
    .testTarget(name: "AnnostoreModelTests", dependencies: ["AnnostoreModel"]),
    .testTarget(name: "AnnostoreGitTests", dependencies: ["AnnostoreGit"]),
    .testTarget(name: "AnnostoreStoreTests", dependencies: ["AnnostoreStore", "AnnostoreModel"]),
  ],
  swiftLanguageModes: [.v6]
)
