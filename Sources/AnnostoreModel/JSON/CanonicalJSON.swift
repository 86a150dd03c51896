/// Writes RFC 8785 canonical JSON (the JSON Canonicalization Scheme).
///
/// One value has exactly one canonical text, so equal records become byte-identical store
/// files and git can deduplicate them: object members sorted by the UTF-16 code units of
/// their keys, no whitespace, minimal string escaping, numbers as ECMAScript prints them.
public enum CanonicalJSON {
  /// Appends the canonical form of `value` (no trailing newline).
  public static func encode(_ value: JSONValue, into output: inout [UInt8]) {
    switch value {
    case .null: appendStatic("null", into: &output)
    case .bool(let flag): appendStatic(flag ? "true" : "false", into: &output)
    case .number(let number): ECMAScriptNumber.append(number, into: &output)
    case .string(let text): appendString(text, into: &output)
    case .array(let elements):
      output.append(0x5B)
      var first = true
      for element in elements {
        if !first { output.append(0x2C) }
        first = false
        encode(element, into: &output)
      }
      output.append(0x5D)
    case .object(let members):
      appendObject(members, into: &output)
    }
  }

  /// The canonical form of `value` (no trailing newline).
  public static func encode(_ value: JSONValue) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(256)
    encode(value, into: &output)
    return output
  }

  /// The canonical form of `value` followed by one `\n`: the bytes of a store file.
  public static func fileBytes(_ value: JSONValue) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(1024)
    encode(value, into: &output)
    output.append(0x0A)
    return output
  }

  /// Appends a number as ECMAScript's Number.prototype.toString writes it (RFC 8785 §3.2.2.3).
  public static func appendNumber(_ number: Double, into output: inout [UInt8]) {
    ECMAScriptNumber.append(number, into: &output)
  }

  /// Appends a string with RFC 8785's minimal escaping, quotes included: only `"`, `\` and
  /// control characters are escaped (`\b \t \n \f \r` short, others `\u00xx`); everything
  /// else, U+2028, U+2029 and all non-ASCII included, is written as raw UTF-8.
  public static func appendString(_ text: String, into output: inout [UInt8]) {
    output.append(0x22)
    let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
      appendEscaped(bytes, into: &output)
    }
    if done == nil { appendEscaped(Array(text.utf8), into: &output) }
    output.append(0x22)
  }

  @inline(__always)
  static func appendEscaped<Bytes: Collection>(_ bytes: Bytes, into output: inout [UInt8])
  where Bytes.Element == UInt8 {
    if !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
      output.append(contentsOf: bytes)
      return
    }
    for byte in bytes {
      switch byte {
      case 0x22, 0x5C: output.append(contentsOf: [0x5C, byte])
      case 0x08: output.append(contentsOf: [0x5C, 0x62])
      case 0x09: output.append(contentsOf: [0x5C, 0x74])
      case 0x0A: output.append(contentsOf: [0x5C, 0x6E])
      case 0x0C: output.append(contentsOf: [0x5C, 0x66])
      case 0x0D: output.append(contentsOf: [0x5C, 0x72])
      case 0x00..<0x20:
        let low = byte & 0xF
        output.append(contentsOf: [
          0x5C, 0x75, 0x30, 0x30, 0x30 + (byte >> 4), low < 10 ? 0x30 + low : 0x57 + low,
        ])
      default: output.append(byte)
      }
    }
  }

  @inline(__always)
  static func appendStatic(_ text: StaticString, into output: inout [UInt8]) {
    output.append(
      contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  static func appendObject(_ members: [JSONMember], into output: inout [UInt8]) {
    output.append(0x7B)
    let count = members.count
    var sorted = true
    if count > 1 {
      for index in 1..<count where !keyPrecedes(members[index - 1].key, members[index].key) {
        sorted = false
        break
      }
    }
    if sorted {
      for index in 0..<count {
        if index > 0 { output.append(0x2C) }
        appendMember(members[index], into: &output)
      }
    } else {
      withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { buffer in
        var order = buffer
        for index in 0..<count { order[index] = index }
        if count <= 24 {
          for index in 1..<count {  // insertion sort: objects are small
            let moving = order[index]
            var slot = index
            while slot > 0 && keyPrecedes(members[moving].key, members[order[slot - 1]].key) {
              order[slot] = order[slot - 1]
              slot -= 1
            }
            order[slot] = moving
          }
        } else {
          order.sort { keyPrecedes(members[$0].key, members[$1].key) }
        }
        for index in 0..<count {
          if index > 0 { output.append(0x2C) }
          appendMember(members[order[index]], into: &output)
        }
      }
    }
    output.append(0x7D)
  }

  @inline(__always)
  static func appendMember(_ member: JSONMember, into output: inout [UInt8]) {
    appendString(member.key, into: &output)
    output.append(0x3A)
    encode(member.value, into: &output)
  }

  /// True when `left` sorts before `right` by UTF-16 code units (RFC 8785 §3.2.3).
  ///
  /// UTF-8 byte order is code point order, which equals UTF-16 order except between
  /// U+E000...U+FFFF and supplementary characters; so bytes decide unless the first
  /// difference involves a non-ASCII byte, and then the UTF-16 units are compared.
  public static func keyPrecedes(_ left: String, _ right: String) -> Bool {
    let decided: Int8? = left.utf8.withContiguousStorageIfAvailable { leftBytes in
      right.utf8.withContiguousStorageIfAvailable { rightBytes in
        compareBytes(leftBytes, rightBytes)
      } ?? -1
    }
    if let decided, decided >= 0 { return decided == 1 }
    return left.utf16.lexicographicallyPrecedes(right.utf16)
  }

  /// 1 when `left` precedes, 0 when not, -1 when UTF-16 must decide.
  @inline(__always)
  static func compareBytes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>)
    -> Int8
  {
    let shared = min(left.count, right.count)
    var index = 0
    while index < shared {
      let a = left[index]
      let b = right[index]
      if a != b {
        if a < 0x80 && b < 0x80 { return a < b ? 1 : 0 }
        return -1
      }
      index += 1
    }
    return left.count < right.count ? 1 : 0
  }
}
