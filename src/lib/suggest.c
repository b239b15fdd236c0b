/*
 * suggest.c - "did you mean": the word a person most likely meant.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static size_t min3(size_t a, size_t b, size_t c)
{
        size_t m = a < b ? a : b;

        return m < c ? m : c;
}

/* Case does not count: "EACESS" is as near "EACCES" as "eacess" is. */
static bool same(char a, char b)
{
        return tolower((unsigned char)a) == tolower((unsigned char)b);
}

/*
 * Optimal string alignment distance: insertions, deletions, substitutions
 * and swaps of two neighbours each cost 1 ("opneat" is 1 from "openat").
 * Words longer than 63 characters are never near anything.
 */
size_t sw_edit_distance(const char *a, const char *b, size_t cap)
{
        size_t n = strlen(a), m = strlen(b);
        size_t d[64][64];

        if (n > 63 || m > 63)
                return cap + 1;
        if ((n > m ? n - m : m - n) > cap)
                return cap + 1;
        for (size_t i = 0; i <= n; i++)
                d[i][0] = i;
        for (size_t j = 0; j <= m; j++)
                d[0][j] = j;
        for (size_t i = 1; i <= n; i++) {
                for (size_t j = 1; j <= m; j++) {
                        size_t cost = !same(a[i - 1], b[j - 1]);

                        d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
                                       d[i - 1][j - 1] + cost);
                        if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) &&
                            same(a[i - 2], b[j - 1]) &&
                            d[i - 2][j - 2] + 1 < d[i][j])
                                d[i][j] = d[i - 2][j - 2] + 1;
                }
        }
        return d[n][m] > cap ? cap + 1 : d[n][m];
}

/* How far a word may be from what was meant: 1 for short words, else 2. */
static size_t tolerance(const char *word)
{
        size_t n = strlen(word);

        return n <= 4 ? 1 : 2;
}

static const char *unique_prefix_of(const char *word, const char *const *cands,
                                    size_t n)
{
        const char *found = NULL;
        size_t len = strlen(word);

        if (len < 3)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                if (strncasecmp(cands[i], word, len) != 0)
                        continue;
                if (found)
                        return NULL;
                found = cands[i];
        }
        return found;
}

const char *sw_suggest(const char *word, const char *const *cands, size_t n)
{
        const char *best = NULL;
        size_t best_d;

        if (word == NULL || *word == '\0')
                return NULL;
        for (size_t i = 0; i < n; i++)
                if (strcasecmp(word, cands[i]) == 0)
                        return cands[i];
        best = unique_prefix_of(word, cands, n);
        if (best)
                return best;
        best_d = tolerance(word) + 1;
        for (size_t i = 0; i < n; i++) {
                size_t d = sw_edit_distance(word, cands[i], best_d - 1);

                if (d < best_d) {
                        best_d = d;
                        best = cands[i];
                }
        }
        return best;
}
