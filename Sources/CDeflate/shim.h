#ifndef ANNOSTORE_CDEFLATE_SHIM_H
#define ANNOSTORE_CDEFLATE_SHIM_H
#include <libdeflate.h>
#include <zlib.h>
#include <openssl/sha.h>
#endif
