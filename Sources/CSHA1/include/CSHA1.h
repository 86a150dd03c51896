#ifndef ANNOSTORE_CSHA1_H
#define ANNOSTORE_CSHA1_H
/* SHA-1 of many short messages, two at a time on the CPU's SHA extensions: the two
   computations are interleaved so that each fills the other's latency (about 1.7 times the
   throughput of one message at a time). Used for the digests of an export's records. */
#include <stddef.h>
#include <stdint.h>

/* Whether the CPU has the SHA extensions (and SSSE3, SSE4.1) that annostore_sha1_pair
   needs; when it does not, callers hash another way. */
int annostore_sha1_available(void);

/* The longest prefix annostore_sha1_pair takes. */
#define ANNOSTORE_SHA1_MAX_PREFIX 192

/* SHA-1 of prefixA (at most ANNOSTORE_SHA1_MAX_PREFIX bytes) followed by dataA into outA,
   and likewise for B. Only when annostore_sha1_available() says so. */
void annostore_sha1_pair(const void *prefixA, size_t prefixLengthA, const void *dataA,
                         size_t lengthA, uint8_t outA[20], const void *prefixB,
                         size_t prefixLengthB, const void *dataB, size_t lengthB,
                         uint8_t outB[20]);
#endif
