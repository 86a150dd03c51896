#ifndef ANNOSTORE_CDEFLATE_SHIM_H
#define ANNOSTORE_CDEFLATE_SHIM_H
/* SHA1_Init/Update/Final hash from a stack context with no allocation per object, the
   fastest libcrypto path for millions of small objects; OpenSSL 3 marks them deprecated
   (not removed), so keep their declarations free of deprecation attributes. */
#ifndef OPENSSL_SUPPRESS_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED 1
#endif
#include <libdeflate.h>
#include <zlib.h>
#include <openssl/sha.h>

/* Asks the CPU to start loading the cache line at `address`, without waiting for it: lets
   the object reader overlap the cache misses of the next pack-index lookup with inflating
   the current object. A hint only; any address is safe. */
static inline void annostore_prefetch(const void *address) {
  __builtin_prefetch(address, 0, 3);
}
#endif
