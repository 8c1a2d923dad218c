// Compiled so the C target has a translation unit; the shims are static inline in the header.
#include "CWebRTCShims.h"
