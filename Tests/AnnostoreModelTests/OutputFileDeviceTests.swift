import Foundation
import Testing

@testable import AnnostoreModel

/// `-o /dev/null` or `-o` a named pipe writes into it; it never renames a file over it.
@Suite struct OutputFileDeviceTests {
  @Test func devNullStaysADevice() throws {
    let output = try OutputFile(path: "/dev/null")
    try output.write("discarded\n")
    try output.finish()
    var status = stat()
    #expect(stat("/dev/null", &status) == 0)
    #expect(status.st_mode & S_IFMT == S_IFCHR)
  }

  @Test func namedPipeIsWrittenThrough() throws {
    let path = NSTemporaryDirectory() + "annostore-fifo-\(UUID().uuidString)"
    #expect(mkfifo(path, 0o600) == 0)
    defer { unlink(path) }
    let received = ReceivedBytes()
    let reader = Thread {
      let descriptor = open(path, O_RDONLY)
      var buffer = [UInt8](repeating: 0, count: 256)
      while descriptor >= 0 {
        let count = read(descriptor, &buffer, buffer.count)
        if count <= 0 { break }
        received.append(buffer[..<count])
      }
      close(descriptor)
      received.done.signal()
    }
    reader.start()
    let output = try OutputFile(path: path)
    try output.write("through the pipe\n")
    try output.finish()
    received.done.wait()
    #expect(received.text == "through the pipe\n")
    var status = stat()
    #expect(stat(path, &status) == 0)
    #expect(status.st_mode & S_IFMT == S_IFIFO)
  }
}

/// What the reading end of the pipe got, handed over once it is done.
private final class ReceivedBytes: @unchecked Sendable {
  private var bytes: [UInt8] = []
  let done = DispatchSemaphore(value: 0)
  func append(_ more: ArraySlice<UInt8>) { bytes.append(contentsOf: more) }
  var text: String { String(decoding: bytes, as: UTF8.self) }
}
