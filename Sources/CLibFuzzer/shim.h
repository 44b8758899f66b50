// libFuzzer's driver entry (compiler-rt FuzzerInterface.h). Declared only: the symbol comes from the
// runtime `-sanitize=fuzzer` links, so only the fuzz build (scripts/fuzz) may call it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
