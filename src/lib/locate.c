/*
 * locate.c - read a document, parse it, and find where every value is.
 *
 * Why two passes over the text.  jansson is the JSON parser of record: it
 * decides what is valid JSON (UTF-8, escapes, control characters, NUL in
 * strings, integers that do not fit in 64 bits) and builds the tree the
 * checker reads.  But jansson keeps no position per value, and with
 * JSON_REJECT_DUPLICATES it stops at the first duplicate key, so a user
 * would fix one problem per run.  So jansson parses first, without that
 * flag (a duplicate then keeps its last value), and only when it accepts
 * the text does a small locator walk the same, already validated, text:
 * it maps the JSON path of every value to its line and column and reports
 * EVERY duplicate key at its second occurrence.  The locator never judges
 * validity, so it can stay short; it only needs to find token boundaries.
 *
 * One exception keeps every problem in one pass: an integer outside
 * jansson's signed 64 bits (2^64-1, or below -2^63) makes jansson refuse
 * the whole text.  Then jansson parses a copy where each such integer is
 * overwritten by "0" and spaces (same length, so positions hold), and the
 * locator reports each one at its place as an error: the document is
 * refused all the same, but the rest of it is still checked.
 *
 * Columns count characters (UTF-8 code points), not bytes, starting at 1,
 * so that they match what an editor shows.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

static sw_code file_fail(sw_report *rep, sw_code code, const char *check,
                         const char *hint, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

static sw_code file_fail(sw_report *rep, sw_code code, const char *check,
                         const char *hint, const char *fmt, ...)
{
        va_list ap;
        char *msg;

        va_start(ap, fmt);
        msg = sw_vasprintf(fmt, ap);
        va_end(ap);
        if (msg == NULL)
                return SW_EINTERNAL;
        sw_report_add(rep, SW_SEV_ERROR, code, check, 0, 0, "", hint, "%s",
                      msg);
        free(msg);
        return code;
}

/*
 * Refuse what cannot hold a document before reading anything from it.
 * Regular files and pipes are read: a pipe or FIFO (`check <(gen)`,
 * /proc/self/fd/N) and a /proc file report size 0 and are read to their
 * end; a FIFO without a writer reads as empty at once.  A socket or a
 * device is never read.
 */
static sw_code check_kind(const struct stat *st, sw_report *rep)
{
        if (S_ISDIR(st->st_mode))
                return file_fail(rep, SW_EIO, "not-a-file",
                                 "name the whitelist file inside it",
                                 "this is a directory, not a whitelist");
        if (!S_ISREG(st->st_mode) && !S_ISFIFO(st->st_mode))
                return file_fail(rep, SW_EIO, "not-a-file",
                                 "copy the document to a regular file first",
                                 "not a regular file or a pipe (a socket or "
                                 "device is never read)");
        if (st->st_size > (off_t)SW_MAX_DOCUMENT_SIZE)
                return file_fail(rep, SW_EPROTO, "too-large",
                                 "split the whitelist or remove metadata",
                                 "the file is larger than 1 MiB, the "
                                 "limit for a whitelist");
        return SW_SUCCESS;
}

static sw_code read_upto(int fd, char *buf, size_t want, size_t *got,
                         sw_report *rep)
{
        *got = 0;
        while (*got < want) {
                ssize_t n = read(fd, buf + *got, want - *got);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return file_fail(rep, SW_EIO, "read-error", NULL,
                                         "cannot read the file: %s",
                                         strerror(errno));
                if (n == 0)
                        break;
                *got += (size_t)n;
        }
        return SW_SUCCESS;
}

/* What was read against what fstat said at the open. */
static sw_code judge_size(const struct stat *st, size_t got, sw_report *rep)
{
        /* A regular file that reported a size must still have it. */
        if (S_ISREG(st->st_mode) && st->st_size > 0 &&
            got != (size_t)st->st_size)
                return file_fail(rep, SW_EIO, "changed-while-read",
                                 "write the new whitelist to another file "
                                 "and rename it into place",
                                 "the file changed while it was read (%lld "
                                 "bytes when opened, %zu read)",
                                 (long long)st->st_size, got);
        if (got > (size_t)SW_MAX_DOCUMENT_SIZE)
                return file_fail(rep, SW_EPROTO, "too-large",
                                 "split the whitelist or remove metadata",
                                 "the document is larger than 1 MiB, the "
                                 "limit for a whitelist");
        if (got == 0)
                return file_fail(rep, SW_EPROTO, "empty",
                                 "a whitelist is one JSON object",
                                 S_ISFIFO(st->st_mode)
                                         ? "the pipe is empty (nothing was "
                                           "written to it)"
                                         : "the file is empty");
        return SW_SUCCESS;
}

/*
 * Read one byte more than fstat said (a growing file), or up to the
 * limit and one byte more where fstat says 0 (pipes, /proc).
 */
static sw_code read_all(int fd, const struct stat *st, char **text, size_t *len,
                        sw_report *rep)
{
        size_t want = S_ISREG(st->st_mode) && st->st_size > 0
                              ? (size_t)st->st_size + 1
                              : (size_t)SW_MAX_DOCUMENT_SIZE + 1;
        char *buf = malloc(want + 1);
        size_t got = 0;
        sw_code rc;

        if (buf == NULL)
                return SW_EINTERNAL;
        rc = read_upto(fd, buf, want, &got, rep);
        if (rc == SW_SUCCESS)
                rc = judge_size(st, got, rep);
        if (rc != SW_SUCCESS) {
                free(buf);
                return rc;
        }
        buf[got] = '\0';
        *text = buf;
        *len = got;
        return SW_SUCCESS;
}

sw_code sw_doc_read_file(const char *path, char **text, size_t *len,
                         sw_report *rep)
{
        struct stat st;
        sw_code rc;
        int fd;

        /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return file_fail(rep, sw_code_of_file_errno(errno),
                                 "open-error",
                                 errno == ENOENT ? "check the file name" : NULL,
                                 "cannot open the file: %s", strerror(errno));
        if (fstat(fd, &st) < 0) {
                rc = file_fail(rep, SW_EIO, "read-error", NULL,
                               "cannot stat the file: %s", strerror(errno));
                close(fd);
                return rc;
        }
        rc = check_kind(&st, rep);
        /* Opened without blocking; a pipe is then read to its end. */
        if (rc == SW_SUCCESS && S_ISFIFO(st.st_mode) &&
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
                rc = file_fail(rep, SW_EIO, "read-error", NULL,
                               "cannot read the pipe: %s", strerror(errno));
        if (rc == SW_SUCCESS)
                rc = read_all(fd, &st, text, len, rep);
        close(fd);
        if (rc == SW_EINTERNAL && rep)
                rep->oom = true;
        return rc;
}

/* ------------------------------------------------------------------ */
/* jansson's verdict                                                   */
/* ------------------------------------------------------------------ */

/* jansson's messages, made into sentences with a way out. */
static void report_syntax(const json_error_t *je, sw_report *rep)
{
        const char *hint = NULL;
        const char *what = je->text;

        if (strstr(je->text, "too big")) {
                what = "integer does not fit in 64 bits";
                hint = "write large values as strings: \"0xffffffffffffffff\" "
                       "or \"18446744073709551615\"";
        } else if (strstr(je->text, "UTF-8") ||
                   strstr(je->text, "unable to decode byte")) {
                what = "invalid UTF-8";
                hint = "save the document as UTF-8";
        } else if (strstr(je->text, "\\u0000")) {
                what = "a string contains \\u0000 (NUL)";
                hint = "remove the NUL character; names never contain one";
        } else if (strstr(je->text, "maximum parsing depth")) {
                what = "nesting too deep";
        }
        sw_report_add(rep, SW_SEV_ERROR, SW_EPROTO, "json-syntax",
                      je->line > 0 ? (unsigned)je->line : 0,
                      je->column > 0 ? (unsigned)je->column : 0, "", hint,
                      "invalid JSON: %s", what);
}

/* An integer token (no fraction, no exponent) jansson cannot hold. */
static bool big_integer(const char *tok, size_t n)
{
        char buf[64];
        char *end;

        if (n == 0 || memchr(tok, '.', n) || memchr(tok, 'e', n) ||
            memchr(tok, 'E', n))
                return false;
        if (n >= sizeof(buf))
                return true;
        memcpy(buf, tok, n);
        buf[n] = '\0';
        errno = 0;
        (void)strtoll(buf, &end, 10);
        return errno == ERANGE && *end == '\0';
}

/* The length of the number token at s (up to len bytes). */
static size_t number_len(const char *s, size_t len)
{
        size_t n = 0;

        while (n < len && s[n] && strchr("0123456789+-.eE", s[n]))
                n++;
        return n;
}

/*
 * A copy of text with every big integer overwritten by "0" and spaces;
 * NULL on OOM.  Strings are skipped with their escapes.
 */
static char *without_big_integers(const char *text, size_t len)
{
        char *copy = malloc(len + 1);
        size_t i = 0;

        if (copy == NULL)
                return NULL;
        memcpy(copy, text, len);
        copy[len] = '\0';
        while (i < len) {
                size_t n;

                if (text[i] == '"') {
                        for (i++; i < len && text[i] != '"'; i++)
                                if (text[i] == '\\')
                                        i++;
                        i++;
                        continue;
                }
                if (text[i] != '-' && (text[i] < '0' || text[i] > '9')) {
                        i++;
                        continue;
                }
                n = number_len(text + i, len - i);
                if (big_integer(text + i, n)) {
                        copy[i] = '0';
                        memset(copy + i + 1, ' ', n - 1);
                }
                i += n;
        }
        return copy;
}

/* ------------------------------------------------------------------ */
/* The locator                                                         */
/* ------------------------------------------------------------------ */

struct key {
        char *name;
        unsigned line, column;
        size_t order;
};

struct walker {
        const char *s;
        size_t len, i;
        unsigned line, column;
        int depth;
        bool too_deep;
        char *path; /* the current path, grown as needed */
        size_t plen, pcap;
        struct sw_doc *doc;
        size_t cap;
        sw_report *rep;
        bool oom;
};

static void step(struct walker *w)
{
        unsigned char c = (unsigned char)w->s[w->i++];

        if (c == '\n') {
                w->line++;
                w->column = 1;
        } else if ((c & 0xc0) != 0x80) {
                w->column++;
        }

        /* A continuation byte belongs to the character already counted. */
        while (w->i < w->len && ((unsigned char)w->s[w->i] & 0xc0) == 0x80)
                w->i++;
}

static void skip_ws(struct walker *w)
{
        while (w->i < w->len && strchr(" \t\r\n", w->s[w->i]) && w->s[w->i])
                step(w);
}

/* Skip a string starting at its quote; returns the index after it. */
static void skip_string(struct walker *w)
{
        step(w);
        while (w->i < w->len && w->s[w->i] != '"') {
                if (w->s[w->i] == '\\')
                        step(w);
                step(w);
        }
        if (w->i < w->len)
                step(w);
}

static bool path_push(struct walker *w, const char *seg, size_t n)
{
        if (w->plen + n + 1 > w->pcap) {
                size_t cap = (w->plen + n + 1) * 2;
                char *p = realloc(w->path, cap);

                if (p == NULL)
                        return false;
                w->path = p;
                w->pcap = cap;
        }
        memcpy(w->path + w->plen, seg, n);
        w->plen += n;
        w->path[w->plen] = '\0';
        return true;
}

static bool is_ident(const char *k)
{
        if (!(*k == '_' || (*k >= 'a' && *k <= 'z') ||
              (*k >= 'A' && *k <= 'Z')))
                return false;
        for (; *k; k++)
                if (!(*k == '_' || (*k >= 'a' && *k <= 'z') ||
                      (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9')))
                        return false;
        return true;
}

/* Append the segment of key, as sw_path_key() writes it. */
static bool path_push_key(struct walker *w, const char *key)
{
        char *seg = sw_path_key(w->plen ? "x" : "", key);
        bool ok;

        /* seg starts with "x." or "x[" when there is a base; skip the x. */
        ok = seg && path_push(w, seg + (w->plen ? 1 : 0),
                              strlen(seg) - (w->plen ? 1 : 0));
        free(seg);
        return ok;
}

char *sw_path_key(const char *base, const char *key)
{
        json_t *js;
        char *q, *out;

        if (is_ident(key))
                return *base ? sw_asprintf("%s.%s", base, key) : sw_strdup(key);
        js = json_string(key);
        q = js ? json_dumps(js, JSON_ENCODE_ANY) : NULL;
        json_decref(js);
        out = q ? sw_asprintf("%s[%s]", base, q) : NULL;
        free(q);
        return out;
}

static void record(struct walker *w, unsigned kline, unsigned kcol)
{
        struct sw_loc *l;

        if (w->doc->nlocs == w->cap) {
                size_t cap = w->cap ? w->cap * 2 : 64;
                struct sw_loc *p =
                        realloc(w->doc->locs, cap * sizeof(*w->doc->locs));

                if (p == NULL) {
                        w->oom = true;
                        return;
                }
                w->doc->locs = p;
                w->cap = cap;
        }
        l = &w->doc->locs[w->doc->nlocs];
        l->path = strdup(w->path ? w->path : "");
        if (l->path == NULL) {
                w->oom = true;
                return;
        }
        l->line = w->line;
        l->column = w->column;
        l->key_line = kline;
        l->key_column = kcol;
        l->seq = w->doc->nlocs++;
}

/* The decoded text of the key token at the walker (already valid). */
static char *decode_key(const char *tok, size_t n)
{
        json_t *js;
        char *out;

        if (memchr(tok, '\\', n) == NULL)
                return strndup(tok + 1, n - 2);
        if (sw_json_load(tok, n, JSON_DECODE_ANY, &js, NULL) != SW_SUCCESS)
                return NULL;
        out = sw_strdup(json_string_value(js));
        json_decref(js);
        return out;
}

static void walk_value(struct walker *w, unsigned kline, unsigned kcol);

static int by_name(const void *a, const void *b)
{
        const struct key *x = a, *y = b;
        int c = strcmp(x->name, y->name);

        if (c)
                return c;
        return x->order < y->order ? -1 : x->order > y->order;
}

/* Report every key that occurs a second (third ...) time. */
static void report_duplicates(struct walker *w, struct key *keys, size_t n,
                              const char *obj_path)
{
        if (n < 2)
                return;
        qsort(keys, n, sizeof(*keys), by_name);
        for (size_t i = 1; i < n; i++) {
                char *path;

                if (strcmp(keys[i].name, keys[i - 1].name) != 0)
                        continue;
                w->plen = strlen(obj_path);
                w->path[w->plen] = '\0';
                if (!path_push_key(w, keys[i].name)) {
                        w->oom = true;
                        return;
                }
                path = w->path;
                sw_report_add(w->rep, SW_SEV_ERROR, SW_EPROTO, "duplicate-key",
                              keys[i].line, keys[i].column, path,
                              "remove one of them: a reader that keeps the "
                              "first value and one that keeps the last "
                              "disagree about what this whitelist says",
                              "duplicate key \"%s\" (first at line %u, "
                              "column %u)",
                              keys[i].name, keys[i - 1].line,
                              keys[i - 1].column);
        }
}

static bool member(struct walker *w, struct key *k, size_t base)
{
        size_t start = w->i;

        k->line = w->line;
        k->column = w->column;
        skip_string(w);
        k->name = decode_key(w->s + start, w->i - start);
        if (k->name == NULL || !path_push_key(w, k->name))
                return false;
        skip_ws(w);
        step(w); /* ':' */
        skip_ws(w);
        walk_value(w, k->line, k->column);
        w->plen = base;
        w->path[base] = '\0';
        return true;
}

static void free_keys(struct key *keys, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(keys[i].name);
        free(keys);
}

static void walk_object(struct walker *w)
{
        size_t base = w->plen, n = 0, cap = 0;
        struct key *keys = NULL;
        char *obj_path;

        step(w);
        skip_ws(w);
        while (!w->oom && w->i < w->len && w->s[w->i] != '}') {
                size_t before = w->i;

                if (n == cap) {
                        size_t more = cap ? cap * 2 : 8;
                        struct key *p = realloc(keys, more * sizeof(*keys));

                        /* Stopping here leaves the walker mid-object. */
                        if (p == NULL) {
                                w->oom = true;
                                break;
                        }
                        keys = p;
                        cap = more;
                }
                keys[n].order = n;
                keys[n].name = NULL;
                if (!member(w, &keys[n++], base))
                        w->oom = true;
                skip_ws(w);
                if (w->i < w->len && w->s[w->i] == ',')
                        step(w);
                skip_ws(w);
                /* Text that is no member (a stray NUL) ends the object. */
                if (w->i == before)
                        break;
        }
        if (w->i < w->len)
                step(w);
        obj_path = strndup(w->path ? w->path : "", base);
        if (obj_path && !w->oom)
                report_duplicates(w, keys, n, obj_path);
        else
                w->oom = true;
        if (w->path) {
                w->plen = base;
                w->path[base] = '\0';
        }
        free(obj_path);
        free_keys(keys, n);
}

static void walk_array(struct walker *w)
{
        size_t base = w->plen;
        char seg[32];

        step(w);
        skip_ws(w);
        for (size_t n = 0; !w->oom && w->i < w->len && w->s[w->i] != ']'; n++) {
                size_t before = w->i;
                int m = snprintf(seg, sizeof(seg), "[%zu]", n);

                if (!path_push(w, seg, (size_t)m)) {
                        w->oom = true;
                        break;
                }
                walk_value(w, 0, 0);
                w->plen = base;
                w->path[base] = '\0';
                skip_ws(w);
                if (w->i < w->len && w->s[w->i] == ',')
                        step(w);
                skip_ws(w);
                /* Text that is no value (a stray NUL) ends the array. */
                if (w->i == before)
                        break;
        }
        if (w->i < w->len)
                step(w);
}

/*
 * A JSON integer beyond jansson's signed 64 bits, at the value just
 * recorded.  One from 2^63 to 2^64-1 is a valid argument value that
 * JSON cannot carry portably (P1.2 section 3): the hint says to write it
 * as a string.  Beyond that no 64-bit register holds it.
 */
static void report_big(struct walker *w, size_t start)
{
        const struct sw_loc *l;
        char *tok;
        unsigned long long u;
        char *end;

        if (w->oom || w->doc->nlocs == 0)
                return;
        l = &w->doc->locs[w->doc->nlocs - 1];
        tok = strndup(w->s + start, w->i - start);
        if (tok == NULL) {
                w->oom = true;
                return;
        }
        errno = 0;
        u = strtoull(tok, &end, 10);
        if (tok[0] != '-' && errno == 0 && *end == '\0') {
                char *hint = sw_asprintf("write it as a string: \"%s\" or "
                                         "\"0x%llx\"",
                                         tok, u);

                if (hint == NULL)
                        w->oom = true;
                sw_report_add(w->rep, SW_SEV_ERROR, SW_EPROTO, "bad-number",
                              l->line, l->column, l->path, hint,
                              "integer %s is above 2^63-1: JSON integers do "
                              "not carry it exactly",
                              tok);
                free(hint);
        } else {
                sw_report_add(w->rep, SW_SEV_ERROR, SW_EPROTO, "bad-number",
                              l->line, l->column, l->path,
                              "numbers in a whitelist are 64 bits: from "
                              "-9223372036854775808 to 0xffffffffffffffff",
                              "integer %s is out of range: it does not fit "
                              "in 64 bits",
                              tok);
        }
        free(tok);
}

static void walk_value(struct walker *w, unsigned kline, unsigned kcol)
{
        char c = w->i < w->len ? w->s[w->i] : '\0';

        record(w, kline, kcol);
        if (c == '{' || c == '[') {
                if (++w->depth > SW_MAX_DEPTH && !w->too_deep) {
                        w->too_deep = true;
                        sw_report_add(w->rep, SW_SEV_ERROR, SW_EPROTO,
                                      "too-deep", w->line, w->column,
                                      w->path ? w->path : "", NULL,
                                      "nesting deeper than %d levels",
                                      SW_MAX_DEPTH);
                }
                if (c == '{')
                        walk_object(w);
                else
                        walk_array(w);
                w->depth--;
        } else if (c == '"') {
                skip_string(w);
        } else {
                size_t start = w->i;

                /* A NUL is part of the token: strchr would find it as the
                 * set's end and the walk would stop moving. */
                while (w->i < w->len && (w->s[w->i] == '\0' ||
                                         !strchr(",]} \t\r\n", w->s[w->i])))
                        step(w);
                if (big_integer(w->s + start, w->i - start))
                        report_big(w, start);
        }
}

static int by_path(const void *a, const void *b)
{
        const struct sw_loc *x = a, *y = b;
        int c = strcmp(x->path, y->path);

        if (c)
                return c;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
}

sw_code sw_doc_parse(struct sw_doc *doc, sw_report *rep)
{
        struct walker w = {.s = doc->text,
                           .len = doc->len,
                           .line = 1,
                           .column = 1,
                           .doc = doc,
                           .rep = rep};
        json_error_t je;
        sw_code rc;

        if (doc->len > (size_t)SW_MAX_DOCUMENT_SIZE) {
                sw_report_add(rep, SW_SEV_ERROR, SW_EPROTO, "too-large", 0, 0,
                              "", "split the whitelist or remove metadata",
                              "the document is larger than 1 MiB, the limit "
                              "for a whitelist");
                return SW_EPROTO;
        }
        /* Editors on some systems write one; JSON forbids it (RFC 8259). */
        if (doc->len >= 3 && memcmp(doc->text, "\xef\xbb\xbf", 3) == 0) {
                sw_report_add(rep, SW_SEV_ERROR, SW_EPROTO, "byte-order-mark",
                              1, 1, "",
                              "remove the byte-order mark: save the file "
                              "as UTF-8 without BOM",
                              "the document starts with a UTF-8 byte-order "
                              "mark (EF BB BF), which JSON does not allow");
                return SW_EPROTO;
        }
        rc = sw_json_load(doc->text, doc->len, 0, &doc->root, &je);
        if (rc == SW_EPROTO && strstr(je.text, "too big")) {
                char *copy = without_big_integers(doc->text, doc->len);

                if (copy == NULL)
                        return SW_EINTERNAL;
                rc = sw_json_load(copy, doc->len, 0, &doc->root, &je);
                free(copy);
        }
        if (rc == SW_EPROTO)
                report_syntax(&je, rep);
        if (rc != SW_SUCCESS)
                return rc;

        if (!path_push(&w, "", 0))
                return SW_EINTERNAL;
        skip_ws(&w);
        walk_value(&w, 0, 0);
        free(w.path);
        if (w.oom)
                return SW_EINTERNAL;
        qsort(doc->locs, doc->nlocs, sizeof(*doc->locs), by_path);
        return SW_SUCCESS;
}

void sw_doc_release(struct sw_doc *doc)
{
        for (size_t i = 0; i < doc->nlocs; i++)
                free(doc->locs[i].path);
        free(doc->locs);
        json_decref(doc->root);
        doc->locs = NULL;
        doc->nlocs = 0;
        doc->root = NULL;
}

/*
 * The last entry with this path: with a duplicate key jansson keeps the
 * last value, so its position is the one that describes the tree.
 */
bool sw_doc_where(const struct sw_doc *doc, const char *path, bool key,
                  unsigned *line, unsigned *col)
{
        size_t lo = 0, hi = doc ? doc->nlocs : 0;

        *line = *col = 0;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (strcmp(doc->locs[mid].path, path) <= 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo == 0 || strcmp(doc->locs[lo - 1].path, path) != 0)
                return false;
        if (key && doc->locs[lo - 1].key_line) {
                *line = doc->locs[lo - 1].key_line;
                *col = doc->locs[lo - 1].key_column;
        } else {
                *line = doc->locs[lo - 1].line;
                *col = doc->locs[lo - 1].column;
        }
        return true;
}
