#include "CRecordSpan.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,pclmul,bmi,popcnt")))

int annostore_span_available(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  int pclmul = (c >> 1) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, popcnt = (c >> 23) & 1;
  if (!(pclmul && osxsave && avx && popcnt)) return 0;
  unsigned lo, hi;
  __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 6) != 6) return 0; /* the OS saves YMM registers */
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return ((b >> 5) & 1) && ((b >> 3) & 1); /* AVX2, BMI1 */
}

TARGET static inline uint64_t mask_of(__m256i lo, __m256i hi, char byte) {
  __m256i wanted = _mm256_set1_epi8(byte);
  uint32_t low = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, wanted));
  uint32_t high = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, wanted));
  return (uint64_t)low | ((uint64_t)high << 32);
}

/* Bits of the bytes escaped by a backslash (simdjson's branchless escape scanner): the byte
   after a backslash that is not itself escaped. `next` is 1 when the block's first byte is
   escaped, and becomes that of the next block. */
static inline uint64_t escaped_bits(uint64_t backslash, uint64_t *next) {
  if (!backslash) {
    uint64_t escaped = *next;
    *next = 0;
    return escaped;
  }
  const uint64_t odd = 0xAAAAAAAAAAAAAAAAULL;
  uint64_t potential = backslash & ~*next;
  uint64_t code = (((potential << 1) | odd) - potential) ^ odd;
  uint64_t escaped = code ^ (backslash | *next);
  *next = (code & backslash) >> 63;
  return escaped;
}

/* Prefix XOR of the bits (each bit becomes the XOR of itself and all below it). */
TARGET static inline uint64_t prefix_xor(uint64_t bits) {
  __m128i all = _mm_set1_epi8((char)0xFF);
  __m128i result = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)bits), all, 0);
  return (uint64_t)_mm_cvtsi128_si64(result);
}

/* One 64-byte block: returns the position (0-63) of the byte closing the object, or -1
   with the state advanced. */
TARGET static int block(const uint8_t *bytes, int64_t *depth, uint64_t *inString,
                        uint64_t *escapeCarry) {
  __m256i lo = _mm256_loadu_si256((const __m256i *)bytes);
  __m256i hi = _mm256_loadu_si256((const __m256i *)(bytes + 32));
  uint64_t backslash = mask_of(lo, hi, '\\');
  uint64_t quotes = mask_of(lo, hi, '"');
  if (backslash | *escapeCarry) {
    uint64_t escaped = escaped_bits(backslash, escapeCarry);
    quotes &= ~escaped;
  }
  /* Setting bit 5 maps '[' to '{' and ']' to '}' (and nothing else onto them). */
  __m256i fold = _mm256_set1_epi8(0x20);
  __m256i flo = _mm256_or_si256(lo, fold), fhi = _mm256_or_si256(hi, fold);
  uint64_t opens = mask_of(flo, fhi, '{');
  uint64_t closes = mask_of(flo, fhi, '}');
  uint64_t inside = prefix_xor(quotes) ^ *inString;
  *inString = (uint64_t)((int64_t)inside >> 63);
  opens &= ~inside;
  closes &= ~inside;
  int64_t closing = _mm_popcnt_u64(closes);
  if (*depth > closing) {
    *depth += (int64_t)_mm_popcnt_u64(opens) - closing;
    return -1;
  }
  uint64_t brackets = opens | closes;
  while (brackets) {
    uint64_t bit = brackets & (0 - brackets);
    if (opens & bit) {
      *depth += 1;
    } else if (--*depth == 0) {
      return (int)__builtin_ctzll(bit);
    }
    brackets &= brackets - 1;
  }
  return -1;
}

TARGET int64_t annostore_span(const uint8_t *start, int64_t count, AnnostoreSpanState *state) {
  int64_t depth = state->depth, position = state->scanned;
  uint64_t inString = state->inString, escape = state->escaped;
  if (position == 0) {
    if (count <= 0) return -1;
    /* The object's own '{' is the first byte: the blocks start after it. */
    depth = 1;
    position = 1;
    inString = 0;
    escape = 0;
  }
  while (count - position >= 64) {
    int found = block(start + position, &depth, &inString, &escape);
    if (found >= 0) return position + found + 1;
    position += 64;
  }
  state->scanned = position;
  state->depth = depth;
  state->inString = inString;
  state->escaped = escape;
  if (count > position) {
    /* The last partial block, padded with spaces; its state is not kept (the next call
       reads it again, whole). */
    uint8_t tail[64];
    memset(tail, ' ', sizeof tail);
    memcpy(tail, start + position, (size_t)(count - position));
    int found = block(tail, &depth, &inString, &escape);
    if (found >= 0 && found < count - position) return position + found + 1;
  }
  return -1;
}

#else

int annostore_span_available(void) { return 0; }

int64_t annostore_span(const uint8_t *start, int64_t count, AnnostoreSpanState *state) {
  (void)start; (void)count; (void)state;
  return -1;
}

#endif
