/* insncount: a QEMU TCG plugin (QEMU 7.2, no glib) that counts executed guest instructions,
 * deterministically, per address range and per measurement window.
 *
 *   qemu-system-arm ... -plugin libinsncount.so,ranges=FILE,begin=0xA,end=0xB,out=REPORT
 *   qemu-aarch64 -plugin libinsncount.so,range=0x400100:0x400180:dot,out=REPORT prog
 *
 * Arguments (comma separated, each key=value):
 *   range=LO:HI[:NAME]   count instructions whose address lies in [LO, HI); repeatable
 *   lo=LO,hi=HI          the same for one range (named "range")
 *   ranges=FILE          ranges from a file, one per line: "LO HI NAME" (NAME may contain spaces;
 *                        blank lines and lines starting with # are skipped)
 *   begin=ADDR,end=ADDR  measurement windows: a window opens when the instruction at begin is
 *                        about to execute (it is counted) and closes when the instruction at end
 *                        is about to execute (it is not). Without them the whole run is one window.
 *   out=FILE             also write the report to FILE (qemu_plugin_outs output is only shown
 *                        with -d plugin, and goes to stderr or the -D log)
 * Addresses are numbers as strtoull reads them (0x... hex). Thumb: pass even addresses (nm prints
 * them so; readelf -s and the symbol table keep bit 0 set for Thumb functions).
 *
 * Report, one record per line, closed by "end":
 *   insncount 1 ranges <R> windows <W>
 *   window <w> total <instructions in the window>
 *   count <w> <insns> <entries> <lo> <hi> <name>   per range with a non-zero count
 *   other <w> <insns>                              instructions outside every range
 *   warning <text>                                 (unbalanced markers, window open at exit)
 *   end
 * insns: executed instructions with address in the range; entries: executions of the range's
 * first instruction (= calls, when the range is a function). An instruction in several ranges
 * counts for the first one given (give disjoint ranges).
 *
 * Counting is done when a translation block starts executing (or per instruction in blocks that
 * hold a marker, a range start or a range boundary), so the counts are exact as long as blocks
 * run to their end; a block is left early only by a fault. One vCPU is assumed (Cortex-M, or a
 * single-threaded qemu-user program): the counters are not atomic. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

struct range {
    uint64_t lo, hi;
    char* name;
};

static struct range* ranges;
static size_t n_ranges, cap_ranges;
static uint64_t begin_addr, end_addr;
static int have_markers;
static char* out_path;

/* Counters of the open window: index n_ranges is "other". */
static uint64_t* cur_insns;
static uint64_t* cur_entries;
static uint64_t cur_total;
static int active;

struct window {
    uint64_t total;
    uint64_t* insns;
    uint64_t* entries;
};
static struct window* windows;
static size_t n_windows, cap_windows;
static uint64_t unbalanced_begin, unbalanced_end;

/* Per-block and per-instruction data handed to the callbacks (kept for QEMU's lifetime). */
struct tb_info {
    uint32_t r;      /* range index, n_ranges = other */
    uint32_t n;      /* instructions in the block */
    uint32_t entry;  /* the block starts at the range's first instruction */
};
struct insn_info {
    uint32_t r;
    uint8_t entry, is_begin, is_end;
};

static void fail_oom(void) {
    fputs("insncount: out of memory\n", stderr);
    abort();
}

static void* xcalloc(size_t n, size_t size) {
    void* p = calloc(n ? n : 1, size);
    if (!p) fail_oom();
    return p;
}

static int add_range(uint64_t lo, uint64_t hi, const char* name) {
    if (hi <= lo) {
        fprintf(stderr, "insncount: empty range [0x%" PRIx64 ", 0x%" PRIx64 ") for %s\n", lo, hi, name);
        return -1;
    }
    if (n_ranges == cap_ranges) {
        cap_ranges = cap_ranges ? 2 * cap_ranges : 16;
        ranges = realloc(ranges, cap_ranges * sizeof *ranges);
        if (!ranges) fail_oom();
    }
    ranges[n_ranges].lo = lo;
    ranges[n_ranges].hi = hi;
    ranges[n_ranges].name = strdup(name);
    if (!ranges[n_ranges].name) fail_oom();
    ++n_ranges;
    return 0;
}

/* Parses a whole number; returns -1 (and says why) on garbage. */
static int parse_addr(const char* s, const char* what, uint64_t* v) {
    char* endp;
    if (!*s) goto bad;
    *v = strtoull(s, &endp, 0);
    if (*endp == 0 || *endp == ':' || *endp == ' ' || *endp == '\t') return (int)(endp - s);
bad:
    fprintf(stderr, "insncount: %s: '%s' is not an address\n", what, s);
    return -1;
}

static int parse_range_arg(const char* s) {
    uint64_t lo, hi;
    int k = parse_addr(s, "range=LO:HI[:NAME]", &lo);
    if (k < 0 || s[k] != ':') {
        fprintf(stderr, "insncount: range=%s: expected LO:HI[:NAME]\n", s);
        return -1;
    }
    s += k + 1;
    k = parse_addr(s, "range=LO:HI[:NAME]", &hi);
    if (k < 0) return -1;
    return add_range(lo, hi, s[k] == ':' ? s + k + 1 : "range");
}

static int read_ranges_file(const char* path) {
    FILE* f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "insncount: cannot open ranges file '%s'\n", path);
        return -1;
    }
    char line[4096];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        ++lineno;
        line[strcspn(line, "\r\n")] = 0;
        char* p = line;
        while (*p == ' ' || *p == '\t') ++p;
        if (!*p || *p == '#') continue;
        uint64_t lo, hi;
        char* endp;
        lo = strtoull(p, &endp, 0);
        if (endp == p) goto bad;
        p = endp;
        hi = strtoull(p, &endp, 0);
        if (endp == p) goto bad;
        p = endp;
        while (*p == ' ' || *p == '\t') ++p;
        rc = add_range(lo, hi, *p ? p : "range");
        continue;
    bad:
        fprintf(stderr, "insncount: %s:%d: expected 'LO HI NAME'\n", path, lineno);
        rc = -1;
    }
    fclose(f);
    return rc;
}

/* Index of the first range holding pc (n_ranges if none). Linear: called at translation only. */
static uint32_t find_range(uint64_t pc) {
    for (size_t i = 0; i < n_ranges; ++i)
        if (pc >= ranges[i].lo && pc < ranges[i].hi) return (uint32_t)i;
    return (uint32_t)n_ranges;
}

static void open_window(void) {
    if (active) {
        ++unbalanced_begin;
        return;
    }
    memset(cur_insns, 0, (n_ranges + 1) * sizeof *cur_insns);
    memset(cur_entries, 0, (n_ranges + 1) * sizeof *cur_entries);
    cur_total = 0;
    active = 1;
}

static void close_window(void) {
    if (!active) {
        ++unbalanced_end;
        return;
    }
    if (n_windows == cap_windows) {
        cap_windows = cap_windows ? 2 * cap_windows : 16;
        windows = realloc(windows, cap_windows * sizeof *windows);
        if (!windows) fail_oom();
    }
    struct window* w = &windows[n_windows++];
    w->total = cur_total;
    w->insns = xcalloc(n_ranges + 1, sizeof *w->insns);
    w->entries = xcalloc(n_ranges + 1, sizeof *w->entries);
    memcpy(w->insns, cur_insns, (n_ranges + 1) * sizeof *w->insns);
    memcpy(w->entries, cur_entries, (n_ranges + 1) * sizeof *w->entries);
    active = 0;
}

static void on_tb_exec(unsigned int vcpu, void* udata) {
    (void)vcpu;
    const struct tb_info* t = udata;
    if (!active) return;
    cur_total += t->n;
    cur_insns[t->r] += t->n;
    cur_entries[t->r] += t->entry;
}

static void on_insn_exec(unsigned int vcpu, void* udata) {
    (void)vcpu;
    const struct insn_info* i = udata;
    if (i->is_end) close_window();
    if (i->is_begin) open_window();
    if (!active) return;
    ++cur_total;
    ++cur_insns[i->r];
    cur_entries[i->r] += i->entry;
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
    (void)id;
    const size_t n = qemu_plugin_tb_n_insns(tb);
    if (n == 0) return;
    /* A block is "simple" when all its instructions lie in one range (or none), it holds no
     * marker, and a range can start only at its first instruction: then one callback counts it. */
    int simple = 1;
    uint32_t r0 = 0;
    for (size_t i = 0; i < n && simple; ++i) {
        const uint64_t pc = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, i));
        const uint32_t r = find_range(pc);
        if (i == 0) r0 = r;
        if (r != r0) simple = 0;
        if (have_markers && (pc == begin_addr || pc == end_addr)) simple = 0;
        if (i > 0 && r < n_ranges && pc == ranges[r].lo) simple = 0;
    }
    if (simple) {
        struct tb_info* t = xcalloc(1, sizeof *t);
        const uint64_t pc0 = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, 0));
        t->r = r0;
        t->n = (uint32_t)n;
        t->entry = r0 < n_ranges && pc0 == ranges[r0].lo;
        qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb_exec, QEMU_PLUGIN_CB_NO_REGS, t);
        return;
    }
    for (size_t i = 0; i < n; ++i) {
        struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
        const uint64_t pc = qemu_plugin_insn_vaddr(insn);
        struct insn_info* d = xcalloc(1, sizeof *d);
        d->r = find_range(pc);
        d->entry = d->r < n_ranges && pc == ranges[d->r].lo;
        d->is_begin = have_markers && pc == begin_addr;
        d->is_end = have_markers && pc == end_addr;
        qemu_plugin_register_vcpu_insn_exec_cb(insn, on_insn_exec, QEMU_PLUGIN_CB_NO_REGS, d);
    }
}

static void emit(FILE* f, const char* line) {
    qemu_plugin_outs(line);
    if (f) fputs(line, f);
}

static void on_exit_report(qemu_plugin_id_t id, void* p) {
    (void)id;
    (void)p;
    char buf[4096 + 128];
    FILE* f = NULL;
    if (out_path) {
        f = fopen(out_path, "w");
        if (!f) fprintf(stderr, "insncount: cannot write report to '%s'\n", out_path);
    }
    if (active) {
        if (have_markers) {
            snprintf(buf, sizeof buf, "warning window %zu still open at exit (reported)\n", n_windows);
            emit(f, buf);
        }
        close_window();
    }
    snprintf(buf, sizeof buf, "insncount 1 ranges %zu windows %zu\n", n_ranges, n_windows);
    emit(f, buf);
    if (unbalanced_begin || unbalanced_end) {
        snprintf(buf, sizeof buf, "warning unbalanced markers: %" PRIu64 " begin inside a window, %" PRIu64
                 " end outside one (ignored)\n", unbalanced_begin, unbalanced_end);
        emit(f, buf);
    }
    for (size_t w = 0; w < n_windows; ++w) {
        snprintf(buf, sizeof buf, "window %zu total %" PRIu64 "\n", w, windows[w].total);
        emit(f, buf);
        for (size_t r = 0; r < n_ranges; ++r) {
            if (!windows[w].insns[r] && !windows[w].entries[r]) continue;
            snprintf(buf, sizeof buf, "count %zu %" PRIu64 " %" PRIu64 " 0x%" PRIx64 " 0x%" PRIx64 " %s\n", w,
                     windows[w].insns[r], windows[w].entries[r], ranges[r].lo, ranges[r].hi, ranges[r].name);
            emit(f, buf);
        }
        snprintf(buf, sizeof buf, "other %zu %" PRIu64 "\n", w, windows[w].insns[n_ranges]);
        emit(f, buf);
    }
    emit(f, "end\n");
    if (f) fclose(f);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* info, int argc,
                                           char** argv) {
    (void)info;
    uint64_t lo = 0, hi = 0;
    int have_lo = 0, have_hi = 0, have_begin = 0, have_end = 0;
    for (int i = 0; i < argc; ++i) {
        const char* a = argv[i];
        int rc = 0;
        if (!strncmp(a, "range=", 6)) rc = parse_range_arg(a + 6);
        else if (!strncmp(a, "ranges=", 7)) rc = read_ranges_file(a + 7);
        else if (!strncmp(a, "lo=", 3)) { rc = parse_addr(a + 3, "lo", &lo); have_lo = 1; }
        else if (!strncmp(a, "hi=", 3)) { rc = parse_addr(a + 3, "hi", &hi); have_hi = 1; }
        else if (!strncmp(a, "begin=", 6)) { rc = parse_addr(a + 6, "begin", &begin_addr); have_begin = 1; }
        else if (!strncmp(a, "end=", 4)) { rc = parse_addr(a + 4, "end", &end_addr); have_end = 1; }
        else if (!strncmp(a, "out=", 4)) { out_path = strdup(a + 4); if (!out_path) fail_oom(); }
        else {
            fprintf(stderr, "insncount: unknown argument '%s' (range=, ranges=, lo=, hi=, begin=, end=, out=)\n", a);
            return -1;
        }
        if (rc < 0) return -1;
    }
    if (have_lo != have_hi) {
        fputs("insncount: lo= and hi= go together\n", stderr);
        return -1;
    }
    if (have_lo && add_range(lo, hi, "range") < 0) return -1;
    if (have_begin != have_end) {
        fputs("insncount: begin= and end= go together\n", stderr);
        return -1;
    }
    have_markers = have_begin;
    if (have_markers && begin_addr == end_addr) {
        fputs("insncount: begin and end must differ\n", stderr);
        return -1;
    }
    cur_insns = xcalloc(n_ranges + 1, sizeof *cur_insns);
    cur_entries = xcalloc(n_ranges + 1, sizeof *cur_entries);
    active = !have_markers;
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
    qemu_plugin_register_atexit_cb(id, on_exit_report, NULL);
    return 0;
}
