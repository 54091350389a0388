/*
 * failalloc: an LD_PRELOAD shim that makes the N-th memory allocation fail, for the
 * allocation-failure sweep (tests/fault/sweep.sh). Test-only; never linked into partnermap.
 *
 * Environment:
 *   PM_FAILALLOC_N=N        the N-th counted allocation returns NULL (1-based; 0 or unset: none
 *                           fails, the shim only counts)
 *   PM_FAILALLOC_SCOPE=exe  count only allocations made directly by the main program's code
 *                           (partnermap and its static core library), found by return address;
 *                           anything else (or unset): every allocation in the process, the
 *                           libraries' (GDAL, igraph, cairo, fontconfig, glib...) included
 *   PM_FAILALLOC_LOG=FILE   appends one line when the process ends (exit or _exit): "count C failed
 * F" (C the counted allocations, F 1 when the N-th happened), and at the failure the call stack of
 * the failed allocation (for sorting the aborts that happen inside a library by design, such as
 * glib's g_malloc)
 *
 * Interposed: malloc, calloc, realloc (size > 0), strdup, strndup. The real functions are the
 * next ones in the lookup order (dlsym RTLD_NEXT): glibc's. Not usable under AddressSanitizer
 * (see sweep.sh). Allocations made while dlsym itself runs are served
 * from a small static arena. Counting is per process (a forked batch worker counts on).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

static atomic_long counted;
static atomic_int failed;
static long target;
static int scope_exe;
static uintptr_t exe_lo, exe_hi;
static const char *log_path;
static _Thread_local int inside; /* the shim's own calls (dlsym, backtrace) are not counted */

static _Alignas(16) unsigned char arena[65536];
static atomic_size_t arena_used;

static void *arena_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    size_t at = atomic_fetch_add(&arena_used, n);
    if (at + n > sizeof arena)
        return NULL;
    return arena + at;
}

static int in_arena(const void *p)
{
    return (const unsigned char *)p >= arena && (const unsigned char *)p < arena + sizeof arena;
}

static int find_exe(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    /* the first object is the main program */
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
            continue;
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
        if (!exe_lo || lo < exe_lo)
            exe_lo = lo;
        if (hi > exe_hi)
            exe_hi = hi;
    }
    return 1;
}

static void resolve(void)
{
    if (real_malloc)
        return;
    inside++;
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    /* at the first allocation, before any library's constructor has counted */
    const char *n = getenv("PM_FAILALLOC_N");
    target = n ? atol(n) : 0;
    const char *s = getenv("PM_FAILALLOC_SCOPE");
    scope_exe = s && !strcmp(s, "exe");
    log_path = getenv("PM_FAILALLOC_LOG");
    dl_iterate_phdr(find_exe, NULL);
    inside--;
}

/* A crash (SIGSEGV, SIGBUS, SIGABRT, SIGTRAP) after the failure: its call stack goes to the log,
 * to tell a crash in partnermap from one inside a library. Not under AddressSanitizer, which
 * reports crashes itself. */
static void on_crash(int sig)
{
    if (log_path) {
        void *frames[32];
        int n = backtrace(frames, 32);
        int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            static const char head[] = "crash:\n";
            if (write(fd, head, sizeof head - 1) < 0) {
                /* best effort */
            }
            backtrace_symbols_fd(frames, n, fd);
            close(fd);
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

__attribute__((constructor)) static void init(void)
{
    resolve();
    inside++;
    void *frames[2];
    backtrace(frames, 2); /* loads libgcc_s now, not at the failure */
    if (log_path && !dlsym(RTLD_DEFAULT, "__asan_init")) {
        static const int sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGTRAP};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            signal(sigs[i], on_crash);
    }
    inside--;
}

static void log_line(const char *text, size_t len)
{
    if (!log_path)
        return;
    int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    if (write(fd, text, len) < 0) {
        /* nothing to do: the log is best effort */
    }
    close(fd);
}

__attribute__((destructor)) static void report(void)
{
    char line[96];
    int len = snprintf(line, sizeof line, "count %ld failed %d\n", atomic_load(&counted),
                       atomic_load(&failed));
    log_line(line, (size_t)len);
}

/* 1 when this allocation is the one to fail */
static int should_fail(const void *caller)
{
    if (inside || target <= 0)
        return 0;
    if (scope_exe && ((uintptr_t)caller < exe_lo || (uintptr_t)caller >= exe_hi))
        return 0;
    if (atomic_fetch_add(&counted, 1) + 1 != target)
        return 0;
    atomic_store(&failed, 1);
    if (log_path) {
        inside++;
        void *frames[32];
        int n = backtrace(frames, 32);
        int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            static const char head[] = "failed allocation:\n";
            if (write(fd, head, sizeof head - 1) < 0) {
                /* best effort */
            }
            backtrace_symbols_fd(frames, n, fd);
            close(fd);
        }
        inside--;
    }
    return 1;
}

/* counts without failing when no target is set (the counting run) */
static void count_only(const void *caller)
{
    if (inside || target > 0)
        return;
    if (scope_exe && ((uintptr_t)caller < exe_lo || (uintptr_t)caller >= exe_hi))
        return;
    atomic_fetch_add(&counted, 1);
}

static void *do_malloc(size_t n, const void *caller)
{
    if (!real_malloc) {
        if (inside)
            return arena_alloc(n);
        resolve();
    }
    count_only(caller);
    if (should_fail(caller))
        return NULL;
    return real_malloc(n);
}

void *malloc(size_t n)
{
    return do_malloc(n, __builtin_return_address(0));
}

void *calloc(size_t k, size_t n)
{
    if (!real_calloc) {
        if (inside) {
            void *p = arena_alloc(k * n);
            if (p)
                memset(p, 0, k * n);
            return p;
        }
        resolve();
    }
    const void *caller = __builtin_return_address(0);
    count_only(caller);
    if (should_fail(caller))
        return NULL;
    return real_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
    if (!real_realloc)
        resolve();
    if (in_arena(p)) {
        void *q = malloc(n);
        size_t left = (size_t)(arena + sizeof arena - (unsigned char *)p);
        if (q)
            memcpy(q, p, n < left ? n : left);
        return q;
    }
    const void *caller = __builtin_return_address(0);
    if (n > 0) {
        count_only(caller);
        if (should_fail(caller))
            return NULL;
    }
    return real_realloc(p, n);
}

void free(void *p)
{
    if (!p || in_arena(p))
        return;
    if (!real_free)
        resolve();
    real_free(p);
}

char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = do_malloc(n, __builtin_return_address(0));
    if (d)
        memcpy(d, s, n);
    return d;
}

char *strndup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    char *d = do_malloc(n + 1, __builtin_return_address(0));
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* partnermap ends with _exit (skipping the libraries' destructors): report there too */
void _exit(int rc)
{
    report();
    void (*real_exit)(int) = (void (*)(int))dlsym(RTLD_NEXT, "_exit");
    real_exit(rc);
    __builtin_unreachable();
}
