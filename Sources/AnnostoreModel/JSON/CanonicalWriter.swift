/// The RFC 8785 encoder behind `CanonicalJSON`: writes into a growable unsafe buffer.
///
/// Object members are written in their input order, each one's byte range remembered; when
/// the keys are not already in canonical order the members are then permuted in place
/// (through a scratch copy). Keys are compared as the bytes just written, which avoids
/// reading strings twice; the UTF-16 order differs from the UTF-8 byte order only where
/// U+E000...U+FFFF meets a supplementary character, which `keyBytesPrecede` corrects.
struct CanonicalWriter: ~Copyable {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int
  private var scratch: UnsafeMutablePointer<UInt8>
  private var scratchCapacity = 0
  /// Byte ranges of the members of every object being written (innermost last).
  private var ranges: UnsafeMutablePointer<MemberRange>
  private var rangeCount = 0
  private var rangeCapacity = 64

  init(capacity: Int = 1024) {
    self.capacity = max(capacity, 64)
    base = .allocate(capacity: self.capacity)
    scratch = .allocate(capacity: 1)
    ranges = .allocate(capacity: rangeCapacity)
  }

  deinit {
    base.deallocate()
    scratch.deallocate()
    ranges.deallocate()
  }

  /// The bytes written so far.
  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  @inline(__always)
  mutating func reserve(_ extra: Int) {
    if capacity - count < extra { grow(extra) }
  }

  @inline(never)
  private mutating func grow(_ extra: Int) {
    var newCapacity = capacity * 2
    while newCapacity - count < extra { newCapacity *= 2 }
    let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBase.initialize(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  @inline(__always)
  mutating func append(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    count += 1
  }

  @inline(__always)
  mutating func append(_ text: StaticString) {
    let length = text.utf8CodeUnitCount
    reserve(length)
    (base + count).initialize(from: text.utf8Start, count: length)
    count += length
  }

  // MARK: Values

  mutating func write(_ value: JSONValue) {
    switch value {
    case .array(let elements): writeArray(elements)
    case .object(let members): writeObject(members)
    default: writeLeaf(value)
    }
  }

  /// Writes a value that is neither an array nor an object (no recursion, so that the
  /// common members, numbers and short strings, are written without a call per value).
  @inline(__always)
  mutating func writeLeaf(_ value: JSONValue) {
    switch value {
    case .number(let number):
      reserve(ECMAScriptNumber.maximumLength)
      count += ECMAScriptNumber.write(number, to: base + count)
    case .string(let text): writeString(text)
    case .null: append("null")
    case .bool(let flag): append(flag ? "true" : "false")
    case .array(let elements): writeArray(elements)
    case .object(let members): writeObject(members)
    }
  }

  mutating func writeArray(_ elements: [JSONValue]) {
    append(0x5B)
    elements.withUnsafeBufferPointer { elements in
      for index in elements.indices {
        if index > 0 { append(0x2C) }
        writeLeaf(elements[index])
      }
    }
    append(0x5D)
  }

  /// Writes a quoted string with RFC 8785's minimal escaping; returns true when it needed
  /// escapes (its bytes then differ from the text's UTF-8).
  @discardableResult
  @inline(__always)
  mutating func writeString(_ text: String) -> Bool {
    if let escaped = text.utf8.withContiguousStorageIfAvailable({ writeString(utf8: $0) }) {
      return escaped
    }
    let copy = Array(text.utf8)
    return copy.withUnsafeBufferPointer { writeString(utf8: $0) }
  }

  @inline(__always)
  mutating func writeString(utf8 text: UnsafeBufferPointer<UInt8>) -> Bool {
    let length = text.count
    reserve(length + 2)
    let target = base + count
    target.pointee = 0x22
    guard let source = text.baseAddress, length > 0 else {
      target[1] = 0x22
      count += 2
      return false
    }
    if length <= 16 {
      // Short strings (keys): check and copy in one loop, no library call.
      var index = 0
      while index < length {
        let byte = source[index]
        if byte < 0x20 || byte == 0x22 || byte == 0x5C { break }
        target[index + 1] = byte
        index += 1
      }
      if index == length {
        target[length + 1] = 0x22
        count += length + 2
        return false
      }
    } else if !Self.needsEscaping(source, length) {
      (target + 1).initialize(from: source, count: length)
      target[length + 1] = 0x22
      count += length + 2
      return false
    }
    count += 1
    writeEscaped(text)
    append(0x22)
    return true
  }

  /// True when any byte is a control character, a quote or a backslash.
  @inline(__always)
  static func needsEscaping(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> Bool {
    var index = 0
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    while length - index >= 8 {
      let word = UInt64(
        littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
      let quotes = word ^ (ones &* 0x22)
      let backslashes = word ^ (ones &* 0x5C)
      var special = (word &- ones &* 0x20) & ~word
      special |= (quotes &- ones) & ~quotes
      special |= (backslashes &- ones) & ~backslashes
      if special & highs != 0 { return true }
      index += 8
    }
    while index < length {
      let byte = bytes[index]
      if byte < 0x20 || byte == 0x22 || byte == 0x5C { return true }
      index += 1
    }
    return false
  }

  @inline(never)
  private mutating func writeEscaped(_ text: UnsafeBufferPointer<UInt8>) {
    for byte in text {
      switch byte {
      case 0x22, 0x5C:
        append(0x5C)
        append(byte)
      case 0x08: append("\\b")
      case 0x09: append("\\t")
      case 0x0A: append("\\n")
      case 0x0C: append("\\f")
      case 0x0D: append("\\r")
      case 0x00..<0x20:
        append("\\u00")
        append(0x30 + (byte >> 4))
        let low = byte & 0xF
        append(low < 10 ? 0x30 + low : 0x57 + low)
      default: append(byte)
      }
    }
  }

  // MARK: Objects

  /// Byte range of one written member: `start` at its opening quote, the key's bytes up to
  /// `keyEnd` (closing quote), the member up to `end`.
  struct MemberRange {
    var start: Int
    var keyEnd: Int
    var end: Int
  }

  mutating func writeObject(_ members: [JSONMember]) {
    append(0x7B)
    let memberCount = members.count
    guard memberCount > 0 else {
      append(0x7D)
      return
    }
    if rangeCapacity - rangeCount < memberCount { growRanges(memberCount) }
    let first = rangeCount
    rangeCount += memberCount
    var sorted = true
    var plainKeys = true
    members.withUnsafeBufferPointer { members in
      for index in 0..<memberCount {
        if index > 0 { append(0x2C) }
        let start = count
        if writeString(members[index].key) { plainKeys = false }
        let keyEnd = count - 1
        append(0x3A)
        writeLeaf(members[index].value)
        ranges[first + index] = MemberRange(start: start, keyEnd: keyEnd, end: count)
        if sorted && index > 0 && plainKeys {
          sorted = Self.keyBytesPrecede(
            ranges[first + index - 1], ranges[first + index], in: base)
        }
      }
    }
    if !plainKeys {
      sorted = true
      for index in 1..<memberCount
      where !CanonicalJSON.keyPrecedes(members[index - 1].key, members[index].key) {
        sorted = false
        break
      }
    }
    if !sorted {
      permute(
        UnsafeMutableBufferPointer(start: ranges + first, count: memberCount), members: members,
        plainKeys: plainKeys)
    }
    rangeCount = first
    append(0x7D)
  }

  @inline(never)
  private mutating func growRanges(_ extra: Int) {
    var newCapacity = rangeCapacity * 2
    while newCapacity - rangeCount < extra { newCapacity *= 2 }
    let newRanges = UnsafeMutablePointer<MemberRange>.allocate(capacity: newCapacity)
    newRanges.initialize(from: ranges, count: rangeCount)
    ranges.deallocate()
    ranges = newRanges
    rangeCapacity = newCapacity
  }

  /// Rewrites the members in canonical key order.
  private mutating func permute(
    _ ranges: UnsafeMutableBufferPointer<MemberRange>, members: [JSONMember], plainKeys: Bool
  ) {
    let memberCount = ranges.count
    withUnsafeTemporaryAllocation(of: Int.self, capacity: memberCount) { buffer in
      var order = buffer
      for index in 0..<memberCount { order[index] = index }
      let written = base
      let precedes: (Int, Int) -> Bool =
        plainKeys
        ? { Self.keyBytesPrecede(ranges[$0], ranges[$1], in: written) }
        : { CanonicalJSON.keyPrecedes(members[$0].key, members[$1].key) }
      if memberCount <= 16 {
        for index in 1..<memberCount {
          let moving = order[index]
          var slot = index
          while slot > 0 && precedes(moving, order[slot - 1]) {
            order[slot] = order[slot - 1]
            slot -= 1
          }
          order[slot] = moving
        }
      } else {
        order.sort(by: precedes)
      }
      let regionStart = ranges[0].start
      let regionLength = ranges[memberCount - 1].end - regionStart
      if scratchCapacity < regionLength {
        scratch.deallocate()
        scratchCapacity = max(regionLength, scratchCapacity * 2)
        scratch = .allocate(capacity: scratchCapacity)
      }
      scratch.update(from: base + regionStart, count: regionLength)
      var cursor = base + regionStart
      for index in 0..<memberCount {
        if index > 0 {
          cursor.pointee = 0x2C
          cursor += 1
        }
        let range = ranges[order[index]]
        let length = range.end - range.start
        cursor.update(from: scratch + (range.start - regionStart), count: length)
        cursor += length
      }
    }
  }

  /// UTF-16 order of two written keys (without escapes) by their UTF-8 bytes.
  @inline(__always)
  static func keyBytesPrecede(
    _ left: MemberRange, _ right: MemberRange, in base: UnsafeMutablePointer<UInt8>
  ) -> Bool {
    utf8Precedes(
      UnsafeBufferPointer(start: base + left.start + 1, count: left.keyEnd - left.start - 1),
      UnsafeBufferPointer(start: base + right.start + 1, count: right.keyEnd - right.start - 1))
  }

  /// True when UTF-8 text `left` sorts before `right` by UTF-16 code units.
  ///
  /// Byte order is code point order; UTF-16 puts U+E000...U+FFFF (lead bytes EE, EF) after
  /// the supplementary characters (lead bytes F0...F4), so that one case is inverted.
  @inline(__always)
  static func utf8Precedes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>)
    -> Bool
  {
    let shared = min(left.count, right.count)
    var index = 0
    while index < shared {
      let a = left[index]
      let b = right[index]
      if a != b {
        if a >= 0xEE && b >= 0xEE && (a >= 0xF0) != (b >= 0xF0) { return a >= 0xF0 }
        return a < b
      }
      index += 1
    }
    return left.count < right.count
  }
}
