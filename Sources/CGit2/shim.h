#ifndef ANNOSTORE_CGIT2_SHIM_H
#define ANNOSTORE_CGIT2_SHIM_H
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>
#include <git2/sys/stream.h>
#include <git2/sys/transport.h>

/* git_libgit2_opts is variadic; Swift cannot call it. These wrappers can. */
static inline int annostore_git_set_search_path(int level, const char *path) {
  return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}
static inline int annostore_git_set_strict_object_creation(int enabled) {
  return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, enabled);
}
static inline int annostore_git_set_strict_hash_verification(int enabled) {
  return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}
static inline int annostore_git_set_caching(int enabled) {
  return git_libgit2_opts(GIT_OPT_ENABLE_CACHING, enabled);
}
static inline int annostore_git_set_ssl_cert_locations(const char *file, const char *path) {
  return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, path);
}
static inline int annostore_git_set_owner_validation(int enabled) {
  return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

/* Layouts for BufferedSubtransport.swift: a smart subtransport that wraps one of
   libgit2's own (http, git, ssh) and a stream that gathers what libgit2 writes into large
   blocks. Each starts with the libgit2 struct it extends, as libgit2's own do. */
typedef struct annostore_buffered_stream {
  git_smart_subtransport_stream parent;
  git_smart_subtransport_stream *inner;
  char *buffer;
  size_t used;
  size_t capacity;
} annostore_buffered_stream;

typedef struct annostore_buffered_subtransport {
  git_smart_subtransport parent;
  git_smart_subtransport *inner;
  annostore_buffered_stream *stream;
} annostore_buffered_subtransport;

/* Layout for ProxySocketStream.swift: a plain TCP stream (libgit2's git_stream) connected
   to a proxy instead of the host libgit2 names. */
typedef struct annostore_socket_stream {
  git_stream parent;
  int fd;
} annostore_socket_stream;
#endif
