#ifndef BRIDGES_CZLIB_SHIM_H
#define BRIDGES_CZLIB_SHIM_H

// The system zlib, for reading the deflated entries of a .zip (a OneRoster export). Only
// BridgesKit's ZipArchive uses it.
#include <zlib.h>

/// `inflateInit2` is a C macro, which Swift cannot call: this starts a raw inflate (no zlib or
/// gzip header, as in a .zip entry) with the largest window, through `inflateInit2_`.
static inline int bridges_inflateInitRaw(z_streamp stream) {
    return inflateInit2_(stream, -MAX_WBITS, ZLIB_VERSION, (int)sizeof(z_stream));
}

#endif
