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

/// Starts a deflate that writes a gzip member (header and CRC), for the gzip-compressed
/// bitstring of an Open Badges revocation status list; through `deflateInit2_`, as above.
static inline int bridges_deflateInitGzip(z_streamp stream) {
    return deflateInit2_(stream, Z_BEST_COMPRESSION, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, (int)sizeof(z_stream));
}

#endif
