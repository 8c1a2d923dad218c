#ifndef CWEBRTC_SHIMS_H
#define CWEBRTC_SHIMS_H
// Static inline wrappers for OpenSSL macros and variadic calls Swift cannot import.
// Each wrapper is one line; add what an engine needs, nothing more.
#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>

static inline const char *cwebrtc_openssl_version(void) { return OpenSSL_version(OPENSSL_VERSION); }

#endif
