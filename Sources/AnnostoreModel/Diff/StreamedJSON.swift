/// A JSON document written piece by piece in canonical form (RFC 8785), so a very large
/// output (a diff of a million records) never exists whole in memory: arrays produce their
/// elements only as they are written.
public indirect enum StreamedJSON {
  /// A value small enough to encode at once.
  case value(JSONValue)
  /// An object; members are written in canonical key order whatever their order here.
  case object([(key: String, value: StreamedJSON)])
  /// An array whose elements are made while it is written: the closure hands each element,
  /// in order, to the function it is given, which writes it before the next is made.
  case elements((_ each: (StreamedJSON) throws -> Void) throws -> Void)

  /// Writes the canonical bytes of the document, handing them to `flush` in chunks of
  /// about `chunk` bytes.
  public func write(chunk: Int = 1 << 20, flush: ([UInt8]) throws -> Void) throws {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(chunk + 4096)
    try write(into: &buffer, chunk: chunk, flush: flush)
    if !buffer.isEmpty { try flush(buffer) }
  }

  /// The whole document as canonical bytes (for tests and small documents).
  public var bytes: [UInt8] {
    var result: [UInt8] = []
    try? write { result += $0 }
    return result
  }

  private func write(
    into buffer: inout [UInt8], chunk: Int, flush: ([UInt8]) throws -> Void
  ) throws {
    switch self {
    case .value(let value):
      CanonicalJSON.encode(value, into: &buffer)
    case .object(let members):
      buffer.append(UInt8(ascii: "{"))
      let sorted = members.sorted { CanonicalJSON.keyPrecedes($0.key, $1.key) }
      for (index, member) in sorted.enumerated() {
        if index > 0 { buffer.append(UInt8(ascii: ",")) }
        CanonicalJSON.appendString(member.key, into: &buffer)
        buffer.append(UInt8(ascii: ":"))
        try member.value.write(into: &buffer, chunk: chunk, flush: flush)
      }
      buffer.append(UInt8(ascii: "}"))
    case .elements(let produce):
      buffer.append(UInt8(ascii: "["))
      var first = true
      try produce { element in
        if !first { buffer.append(UInt8(ascii: ",")) }
        first = false
        try element.write(into: &buffer, chunk: chunk, flush: flush)
        if buffer.count >= chunk {
          try flush(buffer)
          buffer.removeAll(keepingCapacity: true)
        }
      }
      buffer.append(UInt8(ascii: "]"))
    }
  }
}
