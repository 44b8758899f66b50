#ifndef VIXSHIELD_CZLIB_SHIM_H
#define VIXSHIELD_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 and deflateInit2 are macros (they pass the version and struct size): wrap them.
static inline int vs_inflateInit2(z_streamp s, int windowBits) { return inflateInit2(s, windowBits); }
static inline int vs_deflateInit2(z_streamp s, int level, int windowBits) {
    return deflateInit2(s, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
#endif
