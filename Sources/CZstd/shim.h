#ifndef VIXSHIELD_CZSTD_SHIM_H
#define VIXSHIELD_CZSTD_SHIM_H
// Zstandard's one-shot and streaming API (libzstd 1.4+): plain functions, nothing to wrap.
#include <zstd.h>
#endif
