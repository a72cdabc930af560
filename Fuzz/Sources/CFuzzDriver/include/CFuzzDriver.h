#ifndef BRIDGES_FUZZ_DRIVER_H
#define BRIDGES_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry for programs that have their own main (SwiftPM renames an executable's
/// main, so libFuzzer's own main cannot be used). Only linked with -sanitize=fuzzer.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
