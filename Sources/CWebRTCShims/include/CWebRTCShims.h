#ifndef CWEBRTC_SHIMS_H
#define CWEBRTC_SHIMS_H
// Static inline wrappers for OpenSSL macros and variadic calls Swift cannot import.
// Each wrapper is one line; add what an engine needs, nothing more.
#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

static inline const char *cwebrtc_openssl_version(void) { return OpenSSL_version(OPENSSL_VERSION); }

// --- DTLS engine (WebRTCDTLS) ---
static const uint64_t cwebrtc_SSL_OP_NO_QUERY_MTU = SSL_OP_NO_QUERY_MTU;
static const uint64_t cwebrtc_SSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const uint64_t cwebrtc_SSL_OP_NO_TICKET = SSL_OP_NO_TICKET;
static const uint64_t cwebrtc_SSL_OP_CIPHER_SERVER_PREFERENCE = SSL_OP_CIPHER_SERVER_PREFERENCE;

static inline int cwebrtc_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int v) { return (int)SSL_CTX_set_min_proto_version(ctx, v); }
static inline int cwebrtc_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int v) { return (int)SSL_CTX_set_max_proto_version(ctx, v); }
static inline int cwebrtc_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list) { return (int)SSL_CTX_set1_groups_list(ctx, list); }
static inline int cwebrtc_SSL_CTX_set_session_cache_off(SSL_CTX *ctx) { return (int)SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF); }
static inline int cwebrtc_DTLSv1_handle_timeout(SSL *ssl) { return (int)DTLSv1_handle_timeout(ssl); }
static inline int cwebrtc_SSL_set_mtu(SSL *ssl, long mtu) { return (int)SSL_set_mtu(ssl, mtu); }
static inline long cwebrtc_BIO_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }
static inline void cwebrtc_BIO_set_retry_read(BIO *b) { BIO_set_retry_read(b); }
static inline void cwebrtc_BIO_clear_retry_flags(BIO *b) { BIO_clear_retry_flags(b); }
static inline void cwebrtc_OPENSSL_free(void *p) { OPENSSL_free(p); }

// --- TLS client for TURN over TLS (WebRTCICE TLSStream) ---
static inline int cwebrtc_SSL_set_tlsext_host_name(SSL *ssl, const char *name) { return (int)SSL_set_tlsext_host_name(ssl, name); }

#endif
