/*
 * fuzz: what the fuzzing harnesses share (tests/fuzz/fuzz_<name>.c).
 *
 * Each harness defines LLVMFuzzerTestOneInput (and LLVMFuzzerInitialize when it has one-time
 * set-up: the runtime, a fixture geometry). Built with -DPM_FUZZ=ON (clang-14) it links libFuzzer;
 * in every other build it links replay.c, a main() that runs each file of the corpus folders it is
 * given once, so CI replays the corpora under the normal and the sanitizer builds.
 *
 * A harness checks the documented invariants of what it drives (a pm_ties_t's weights are > 0, an
 * ambiguous place has candidates, ...) and calls fuzz_fail when one does not hold: a silent wrong
 * answer is a finding, like a crash.
 */
#ifndef PM_FUZZ_H
#define PM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reports a broken invariant on stderr and aborts (libFuzzer saves the input as a crash). */
void fuzz_fail(const char *file, int line, const char *what) __attribute__((noreturn));
#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fuzz_fail(__FILE__, __LINE__, #cond);                                                  \
    } while (0)

/* Initialises the partnermap runtime once per process (GDAL drivers, error routing). */
void fuzz_runtime_init(void);

/* Writes size bytes to a file of this process in a RAM folder (/dev/shm when it exists, else
 * $TMPDIR or /tmp) named pmfuzz.<pid>.<slot>.<ext>, and returns its path (static per slot,
 * slot < 4). The reader of tie tables and the side-file reader check the file with stat() and read
 * its bytes with stdio, so /vsimem/ is not an option for them. The files are removed at exit.
 * Returns NULL when the file cannot be written. */
const char *fuzz_file(unsigned slot, const char *ext, const uint8_t *data, size_t size);

/* Puts size bytes in GDAL's memory file system under /vsimem/pmfuzz.<pid>.<ext> (replacing what
 * was there) and returns the path (static). For readers that open their input with GDAL only. */
const char *fuzz_vsimem(const char *ext, const uint8_t *data, size_t size);

/* A NUL-terminated copy of size bytes (caller frees); NULL when out of memory. */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* 1 when s (NUL-terminated) is valid UTF-8. */
int fuzz_valid_utf8(const char *s);

#endif
