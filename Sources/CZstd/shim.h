// C boundary for libzstd. Imported only by ProfileStore.
#ifndef SCORCH_CZSTD_SHIM_H
#define SCORCH_CZSTD_SHIM_H
#include <zstd.h>

/// ZSTD_CONTENTSIZE_UNKNOWN, a macro expression Swift cannot import: the frame does not record its content size.
static inline unsigned long long CZstd_contentSizeUnknown(void) { return ZSTD_CONTENTSIZE_UNKNOWN; }

/// ZSTD_CONTENTSIZE_ERROR, a macro expression Swift cannot import: the input is not a valid zstd frame.
static inline unsigned long long CZstd_contentSizeError(void) { return ZSTD_CONTENTSIZE_ERROR; }

#endif
