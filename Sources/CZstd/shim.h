// C boundary for libzstd. Imported only by ProfileStore.
#ifndef SCORCH_CZSTD_SHIM_H
#define SCORCH_CZSTD_SHIM_H
#include <zstd.h>
#endif
