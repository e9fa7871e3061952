/* A list of spec errors, each with its file and 1-based line:column (docs/spec-format.md). */
#ifndef CF_SPEC_ERRORS_H
#define CF_SPEC_ERRORS_H

#include <stddef.h>
#include <stdio.h>

/* One error: where (file, 1-based line and column; 0 when unknown) and what was expected. */
typedef struct cf_spec_error {
    char *file;
    unsigned line;
    unsigned column;
    char *message;
} cf_spec_error;

/* A growing list of errors; owns every string in it. Zero-initialise or cf_spec_errors_init. */
typedef struct cf_spec_errors {
    cf_spec_error *items;
    size_t count;
    size_t cap;
} cf_spec_errors;

/* Makes an empty list. */
void cf_spec_errors_init(cf_spec_errors *errs);

/* Appends one error (message formatted like printf); returns 0, or -1 when out of memory. */
int cf_spec_errors_add(cf_spec_errors *errs, const char *file, unsigned line, unsigned column,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Prints every error as "file:line:column: error: message" (one per line) to out. */
void cf_spec_errors_print(const cf_spec_errors *errs, FILE *out);

/* Frees the strings and the array; the list is empty and reusable afterwards. */
void cf_spec_errors_free(cf_spec_errors *errs);

#endif
