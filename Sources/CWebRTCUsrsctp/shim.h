#include <usrsctp.h>
#include <stdarg.h>
#include <stdio.h>

// usrsctp's debug printer is variadic, which Swift can neither define nor import: this header
// provides one (to stderr) and a non-variadic accessor returning its address.
static void cwebrtc_usrsctp_debug(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    vfprintf(stderr, format, ap);
    va_end(ap);
}
typedef void (*cwebrtc_usrsctp_debug_fn)(const char *format, ...);
static inline cwebrtc_usrsctp_debug_fn cwebrtc_usrsctp_debug_printer(void) { return cwebrtc_usrsctp_debug; }

// Declared by usrsctp.h only under SCTP_DEBUG; Debian's library exports it.
int usrsctp_sysctl_set_sctp_debug_on(uint32_t value);

// Exported by libusrsctp but not declared in usrsctp.h: replaces (or, with NULL, removes) a
// socket's receive callback. Receive flow control removes it while the receive budget is spent,
// so that data stays in usrsctp's socket buffer and the advertised window closes.
int register_recv_cb(struct socket *so,
                     int (*receive_cb)(struct socket *sock, union sctp_sockstore addr, void *data,
                                       size_t datalen, struct sctp_rcvinfo, int flags, void *ulp_info));

// getsockopt returning the bytes usrsctp holds for sending (struct sctp_sockstat); not in usrsctp.h.
#ifndef SCTP_GET_SNDBUF_USE
#define SCTP_GET_SNDBUF_USE 0x00001101
#endif

// SCTP's CRC32c (RFC 9260 Appendix B) with the x86-64 SSE4.2 crc32 instruction. usrsctp's own is
// a slice-by-8 table loop that took ~31 % of SCTP CPU in a profile of bulk transfer (Debian builds
// usrsctp without optimisation). With crc32c "offload" enabled, usrsctp skips verifying inbound
// packets (DTLS has already authenticated them) and leaves the outbound checksum 0; we fill it in.
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#if defined(__x86_64__)

__attribute__((target("sse4.2")))
static inline uint32_t cwebrtc_crc32c_sse42(uint32_t crc, const uint8_t *p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) { uint64_t v; memcpy(&v, p, 8); c = __builtin_ia32_crc32di(c, v); p += 8; n -= 8; }
    crc = (uint32_t)c;
    while (n > 0) { crc = __builtin_ia32_crc32qi(crc, *p++); n--; }
    return crc;
}
#endif
static inline uint32_t cwebrtc_crc32c_bitwise(uint32_t crc, const uint8_t *p, size_t n) {
    while (n-- > 0) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return crc;
}
/// Whether the fast path exists on this CPU.
static inline int cwebrtc_crc32c_has_hardware(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("sse4.2");
#else
    return 0;
#endif
}
/// Writes the SCTP checksum of `packet` (common header included) into bytes 8..<12, as usrsctp
/// would (the inverted CRC, stored in host order on a little-endian machine).
static inline void cwebrtc_sctp_fill_checksum(uint8_t *packet, size_t length, int hardware) {
    if (length < 12) return;
    memset(packet + 8, 0, 4);
    uint32_t crc;
#if defined(__x86_64__)
    if (hardware) crc = cwebrtc_crc32c_sse42(0xFFFFFFFFu, packet, length);
    else
#endif
    crc = cwebrtc_crc32c_bitwise(0xFFFFFFFFu, packet, length);
    crc = ~crc;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    crc = __builtin_bswap32(crc);
#endif
    memcpy(packet + 8, &crc, 4);
}
