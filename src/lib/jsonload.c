/*
 * jsonload.c - parsing JSON text with jansson, out of memory included.
 *
 * jansson 2.14's parser does not survive every allocation failure: its
 * lexer appends each character of a token to a growing buffer and ignores
 * a failed growth, so the character is silently dropped.  A dropped digit
 * or letter turns a value into another one without any error (a key
 * "allowed_families" read as "allowed_familis", a 20-digit number string
 * losing a digit), and a dropped closing quote or escape letter sends the
 * lexer past the end of its buffer or into assert(0).  Nor does it say
 * that memory ran out: json_loadb() then returns NULL with an empty
 * message, which reads as a syntax error.
 *
 * So every parse of syswall goes through sw_json_load(), which makes an
 * allocation failure inside jansson harmless and visible:
 *
 * - For the time of the parse, on the parsing thread only, jansson's
 *   allocator (json_set_alloc_funcs, installed once and chained to the
 *   functions found at that time, so a program's own jansson allocator
 *   keeps working) records any failure and answers it with a reserve
 *   block taken before the parse.  The reserve is larger than any
 *   buffer the lexer can ask for on this input, so jansson's state stays
 *   consistent: no character is dropped.
 * - The text is fed to jansson through a callback, one byte at a time;
 *   once a failure was recorded the callback reports the end of the
 *   input, so the parser stops at the next character instead of needing
 *   more memory that the system does not have.
 * - A parse during which an allocation failed is thrown away and
 *   reported as SW_EINTERNAL, never as a syntax error or a document.
 *
 * The same allocator counts every failed jansson allocation of the thread
 * (sw_json_failures()): jansson's builders (json_object_set_new() given a
 * NULL value, json_array_append_new() failing to grow) lose a member
 * without an error that every caller checks, so a document syswall builds
 * is checked once, at the end, against the count.
 *
 * A program that replaces jansson's allocator after syswall's first parse
 * removes the reserve and the count; a failure is then still reported as
 * SW_EINTERNAL (jansson's empty message), but the lexer defect above is back.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* One parse in progress on this thread. */
struct guard {
        const char *text;
        size_t len;
        size_t pos;
        void *reserve; /* handed out at the first failure */
        size_t reserve_size;
        bool failed;
};

static __thread struct guard *active;
static __thread unsigned long failures;
static json_malloc_t next_malloc;
static json_free_t next_free;
static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void *guarded_malloc(size_t size)
{
        void *p = next_malloc(size);
        struct guard *g = active;

        if (p != NULL)
                return p;
        failures++;
        if (g == NULL)
                return p;
        g->failed = true;
        if (g->reserve != NULL && size <= g->reserve_size) {
                p = g->reserve;
                g->reserve = NULL;
        }
        return p;
}

static void install(void)
{
        json_get_alloc_funcs(&next_malloc, &next_free);
        if (next_malloc == NULL || next_free == NULL) {
                next_malloc = malloc;
                next_free = free;
        }
        json_set_alloc_funcs(guarded_malloc, next_free);
}

unsigned long sw_json_failures(void)
{
        (void)pthread_once(&installed, install);
        return failures;
}

/* jansson's input: one byte per call, none after a failed allocation. */
static size_t feed(void *buf, size_t size, void *data)
{
        struct guard *g = data;

        if (g->failed || g->pos >= g->len || size == 0)
                return 0;
        *(char *)buf = g->text[g->pos++];
        return 1;
}

/*
 * The largest block jansson's lexer asks for on len bytes of input: its
 * token buffer doubles up to twice the longest token, and a string's
 * value is at most as long as its token.
 */
static size_t reserve_for(size_t len)
{
        return len > (SIZE_MAX - 64) / 2 ? SIZE_MAX : 2 * len + 64;
}

static bool out_of_memory(const struct guard *g, const json_error_t *jerr)
{
        /* jansson sets a message for every syntax error it finds. */
        return g->failed || jerr->text[0] == '\0' ||
               json_error_code(jerr) == json_error_out_of_memory;
}

sw_code sw_json_load(const char *text, size_t len, size_t flags, json_t **root,
                     json_error_t *jerr)
{
        struct guard g = {.text = text, .len = len};
        struct guard *outer = active;
        json_error_t local;

        *root = NULL;
        if (jerr == NULL)
                jerr = &local;
        memset(jerr, 0, sizeof(*jerr));
        if (pthread_once(&installed, install) != 0)
                return SW_EINTERNAL;
        g.reserve_size = reserve_for(len);
        g.reserve = malloc(g.reserve_size);
        if (g.reserve == NULL)
                return SW_EINTERNAL;

        active = &g;
        *root = json_load_callback(feed, &g, flags, jerr);
        active = outer;

        free(g.reserve);
        if (*root != NULL && !g.failed)
                return SW_SUCCESS;
        json_decref(*root);
        *root = NULL;
        return out_of_memory(&g, jerr) ? SW_EINTERNAL : SW_EPROTO;
}
