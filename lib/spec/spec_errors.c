/* The spec error list: positions plus messages, printed in the compiler style. */
#include "spec_errors.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util_buf.h"
#include "util_term.h"

void cf_spec_errors_init(cf_spec_errors *errs)
{
    errs->items = NULL;
    errs->count = 0;
    errs->cap = 0;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

int cf_spec_errors_add(cf_spec_errors *errs, const char *file, unsigned line, unsigned column,
                       const char *fmt, ...)
{
    if (errs->count == errs->cap) {
        size_t ncap = errs->cap ? errs->cap * 2 : 16;
        cf_spec_error *n = realloc(errs->items, ncap * sizeof *n);
        if (!n) return -1;
        errs->items = n;
        errs->cap = ncap;
    }
    cf_spec_error *e = &errs->items[errs->count];
    va_list ap;
    va_start(ap, fmt);
    e->message = cf_vstrfmt(fmt, ap);
    va_end(ap);
    e->file = dup_str(file ? file : "<input>");
    if (!e->file || !e->message) {
        free(e->file);
        free(e->message);
        return -1;
    }
    e->line = line;
    e->column = column;
    errs->count++;
    return 0;
}

void cf_spec_errors_print(const cf_spec_errors *errs, FILE *out)
{
    for (size_t i = 0; i < errs->count; i++) {
        const cf_spec_error *e = &errs->items[i];
        cf_term_texts tt = {0}; /* messages quote the spec: no control character gets through */
        const char *file = cf_term_text(&tt, e->file), *msg = cf_term_text(&tt, e->message);
        if (e->line)
            fprintf(out, "%s:%u:%u: error: %s\n", file, e->line, e->column, msg);
        else
            fprintf(out, "%s: error: %s\n", file, msg);
        cf_term_texts_free(&tt);
    }
}

void cf_spec_errors_free(cf_spec_errors *errs)
{
    for (size_t i = 0; i < errs->count; i++) {
        free(errs->items[i].file);
        free(errs->items[i].message);
    }
    free(errs->items);
    cf_spec_errors_init(errs);
}
