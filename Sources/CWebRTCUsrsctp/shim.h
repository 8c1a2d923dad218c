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
