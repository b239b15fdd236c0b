/*
 * pidset.c - a small growing set of process or thread ids, for the
 * tracer (the tasks it follows) and Landlock's thread sync (the threads
 * it has restricted).
 */
#include "internal.h"

#include <stdlib.h>

bool sw_pidset_has(const struct sw_pidset *s, pid_t id)
{
        for (size_t i = 0; i < s->n; i++)
                if (s->v[i] == id)
                        return true;
        return false;
}

bool sw_pidset_add(struct sw_pidset *s, pid_t id)
{
        if (s->n == s->cap) {
                size_t cap = s->cap ? s->cap * 2 : 16;
                pid_t *v = realloc(s->v, cap * sizeof(*v));

                if (v == NULL)
                        return false;
                s->v = v;
                s->cap = cap;
        }
        s->v[s->n++] = id;
        return true;
}

void sw_pidset_remove(struct sw_pidset *s, pid_t id)
{
        for (size_t i = 0; i < s->n; i++) {
                if (s->v[i] == id) {
                        s->v[i] = s->v[--s->n];
                        return;
                }
        }
}

void sw_pidset_free(struct sw_pidset *s)
{
        free(s->v);
        s->v = NULL;
        s->n = s->cap = 0;
}
