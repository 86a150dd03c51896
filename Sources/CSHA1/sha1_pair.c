/* Two SHA-1 computations interleaved on the SHA extensions (FIPS 180-4). The round
   schedule follows Intel's published use of SHA1RNDS4, SHA1NEXTE, SHA1MSG1 and SHA1MSG2:
   each group of four rounds g = 0..19 takes its message words from M[g % 4], and the
   message schedule runs three groups ahead. */
#include "CSHA1.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>

#define TARGET __attribute__((target("sha,ssse3,sse4.1")))

/* One group of four rounds of one computation (A: state, E0/E1: the two E registers,
   M: message words, data: the block). */
#define GROUP(g, A, E0, E1, M, data)                                                         \
  do {                                                                                     \
    __m128i *current = ((g)&1) ? &(E1) : &(E0);                                            \
    __m128i *next = ((g)&1) ? &(E0) : &(E1);                                               \
    if ((g) < 4)                                                                           \
      (M)[(g)] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)((data) + 16 * (g))), MASK); \
    if ((g) == 0)                                                                          \
      *current = _mm_add_epi32(*current, (M)[0]);                                          \
    else                                                                                   \
      *current = _mm_sha1nexte_epu32(*current, (M)[(g)&3]);                                \
    *next = (A);                                                                           \
    if ((g) >= 3 && (g) <= 18)                                                             \
      (M)[((g) + 1) & 3] = _mm_sha1msg2_epu32((M)[((g) + 1) & 3], (M)[(g)&3]);             \
    (A) = _mm_sha1rnds4_epu32((A), *current, (g) / 5);                                     \
    if ((g) >= 1 && (g) <= 16)                                                             \
      (M)[((g)-1) & 3] = _mm_sha1msg1_epu32((M)[((g)-1) & 3], (M)[(g)&3]);                 \
    if ((g) >= 2 && (g) <= 17)                                                             \
      (M)[((g)-2) & 3] = _mm_xor_si128((M)[((g)-2) & 3], (M)[(g)&3]);                      \
  } while (0)

#define GROUP2(g)                                \
  do {                                           \
    GROUP(g, Aa, E0a, E1a, Ma, blockA);          \
    GROUP(g, Ab, E0b, E1b, Mb, blockB);          \
  } while (0)

#define GROUP1(g) GROUP(g, Aa, E0a, E1a, Ma, blockA)

/* The state of one computation in the registers' layout. */
typedef struct {
  __m128i abcd;
  __m128i e;
} State;

TARGET static State start_state(void) {
  State state;
  state.abcd = _mm_set_epi32(0x67452301, (int)0xEFCDAB89u, (int)0x98BADCFEu, 0x10325476);
  state.e = _mm_set_epi32((int)0xC3D2E1F0u, 0, 0, 0);
  return state;
}

/* One block of each of two computations. */
TARGET static void blocks_two(State *a, const uint8_t *blockA, State *b, const uint8_t *blockB) {
  const __m128i MASK = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
  __m128i Aa = a->abcd, E0a = a->e, Ab = b->abcd, E0b = b->e;
  __m128i E1a, E1b, Ma[4], Mb[4];
  GROUP2(0); GROUP2(1); GROUP2(2); GROUP2(3); GROUP2(4);
  GROUP2(5); GROUP2(6); GROUP2(7); GROUP2(8); GROUP2(9);
  GROUP2(10); GROUP2(11); GROUP2(12); GROUP2(13); GROUP2(14);
  GROUP2(15); GROUP2(16); GROUP2(17); GROUP2(18); GROUP2(19);
  a->e = _mm_sha1nexte_epu32(E0a, a->e);
  a->abcd = _mm_add_epi32(Aa, a->abcd);
  b->e = _mm_sha1nexte_epu32(E0b, b->e);
  b->abcd = _mm_add_epi32(Ab, b->abcd);
}

/* One block of one computation. */
TARGET static void block_one(State *a, const uint8_t *blockA) {
  const __m128i MASK = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
  __m128i Aa = a->abcd, E0a = a->e;
  __m128i E1a, Ma[4];
  GROUP1(0); GROUP1(1); GROUP1(2); GROUP1(3); GROUP1(4);
  GROUP1(5); GROUP1(6); GROUP1(7); GROUP1(8); GROUP1(9);
  GROUP1(10); GROUP1(11); GROUP1(12); GROUP1(13); GROUP1(14);
  GROUP1(15); GROUP1(16); GROUP1(17); GROUP1(18); GROUP1(19);
  a->e = _mm_sha1nexte_epu32(E0a, a->e);
  a->abcd = _mm_add_epi32(Aa, a->abcd);
}

TARGET static void finish(const State *state, uint8_t out[20]) {
  uint32_t words[4];
  _mm_storeu_si128((__m128i *)words, state->abcd);
  uint32_t h[5] = {words[3], words[2], words[1], words[0],
                   (uint32_t)_mm_extract_epi32(state->e, 3)};
  for (int i = 0; i < 5; i++) {
    out[4 * i] = (uint8_t)(h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(h[i] >> 8);
    out[4 * i + 3] = (uint8_t)h[i];
  }
}

/* A message laid out as blocks: `head` (prefix, then data up to a block boundary), the
   data's whole blocks in place, and `tail` (the rest and the padding). */
typedef struct {
  uint8_t head[ANNOSTORE_SHA1_MAX_PREFIX + 64 + 72];
  uint8_t tail[128];
  size_t headBlocks;
  const uint8_t *middle;
  size_t middleBlocks;
  size_t tailBlocks;
} Message;

static void pad(uint8_t *buffer, size_t used, size_t total, size_t *blocks) {
  buffer[used++] = 0x80;
  size_t end = (used + 8 + 63) / 64 * 64;
  memset(buffer + used, 0, end - used);
  uint64_t bits = (uint64_t)total * 8;
  for (int i = 0; i < 8; i++) buffer[end - 1 - i] = (uint8_t)(bits >> (8 * i));
  *blocks = end / 64;
}

static void lay_out(Message *message, const void *prefix, size_t prefixLength, const void *data,
                    size_t length) {
  const uint8_t *bytes = (const uint8_t *)data;
  size_t total = prefixLength + length;
  memcpy(message->head, prefix, prefixLength);
  size_t used = prefixLength;
  size_t toBoundary = (64 - used % 64) % 64;
  size_t take = toBoundary < length ? toBoundary : length;
  if (take > 0) memcpy(message->head + used, bytes, take);
  used += take;
  bytes += take;
  length -= take;
  message->middle = bytes;
  message->middleBlocks = 0;
  message->tailBlocks = 0;
  if (length == 0 && used % 64 != 0) {
    pad(message->head, used, total, &message->headBlocks);
    return;
  }
  if (length == 0 && used == 0) {
    pad(message->head, 0, total, &message->headBlocks);
    return;
  }
  message->headBlocks = used / 64;
  message->middleBlocks = length / 64;
  size_t rest = length % 64;
  if (rest > 0) memcpy(message->tail, bytes + 64 * message->middleBlocks, rest);
  pad(message->tail, rest, total, &message->tailBlocks);
}

static const uint8_t *block_at(const Message *message, size_t index) {
  if (index < message->headBlocks) return message->head + 64 * index;
  index -= message->headBlocks;
  if (index < message->middleBlocks) return message->middle + 64 * index;
  index -= message->middleBlocks;
  return message->tail + 64 * index;
}

int annostore_sha1_available(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  if (!(c & (1u << 9)) || !(c & (1u << 19))) return 0; /* SSSE3, SSE4.1 */
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return (b >> 29) & 1; /* SHA */
}

TARGET void annostore_sha1_pair(const void *prefixA, size_t prefixLengthA, const void *dataA,
                                size_t lengthA, uint8_t outA[20], const void *prefixB,
                                size_t prefixLengthB, const void *dataB, size_t lengthB,
                                uint8_t outB[20]) {
  Message a, b;
  lay_out(&a, prefixA, prefixLengthA, dataA, lengthA);
  lay_out(&b, prefixB, prefixLengthB, dataB, lengthB);
  size_t blocksA = a.headBlocks + a.middleBlocks + a.tailBlocks;
  size_t blocksB = b.headBlocks + b.middleBlocks + b.tailBlocks;
  State stateA = start_state(), stateB = start_state();
  size_t both = blocksA < blocksB ? blocksA : blocksB;
  for (size_t i = 0; i < both; i++) blocks_two(&stateA, block_at(&a, i), &stateB, block_at(&b, i));
  for (size_t i = both; i < blocksA; i++) block_one(&stateA, block_at(&a, i));
  for (size_t i = both; i < blocksB; i++) block_one(&stateB, block_at(&b, i));
  finish(&stateA, outA);
  finish(&stateB, outB);
}

#else

int annostore_sha1_available(void) { return 0; }

void annostore_sha1_pair(const void *prefixA, size_t prefixLengthA, const void *dataA,
                         size_t lengthA, uint8_t outA[20], const void *prefixB,
                         size_t prefixLengthB, const void *dataB, size_t lengthB,
                         uint8_t outB[20]) {
  (void)prefixA; (void)prefixLengthA; (void)dataA; (void)lengthA; (void)outA;
  (void)prefixB; (void)prefixLengthB; (void)dataB; (void)lengthB; (void)outB;
}

#endif
