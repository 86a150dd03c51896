#ifndef ANNOSTORE_CRECORDSPAN_H
#define ANNOSTORE_CRECORDSPAN_H
/* Finds where a JSON object ends, 64 bytes at a time with AVX2 and carry-less
   multiplication (the string and escape masks of simdjson's first stage), for the export
   scanner. Without those instructions callers use their own scanner. */
#include <stddef.h>
#include <stdint.h>

/* Where a scan stopped, to continue on a longer buffer that starts at the same record. */
typedef struct {
  /* Bytes of the record examined (a multiple of 64 past the first). */
  int64_t scanned;
  /* Brackets open at `scanned`, the record's own counted. */
  int64_t depth;
  /* All ones when `scanned` lies inside a string, else zero. */
  uint64_t inString;
  /* 1 when the byte at `scanned` is escaped by a backslash before it. */
  uint64_t escaped;
} AnnostoreSpanState;

/* Whether the CPU has AVX2 and PCLMULQDQ. */
int annostore_span_available(void);

/* The length of the object at `start` (whose first byte is `{`, with `state` zeroed at the
   first call) when it ends within `count` bytes; -1 when the bytes end first, with `state`
   kept for the next call on a longer buffer starting with the same object. */
int64_t annostore_span(const uint8_t *start, int64_t count, AnnostoreSpanState *state);
#endif
