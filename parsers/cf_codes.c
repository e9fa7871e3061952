/* The violation table (cf_violations.def) and the lenient bits (cf_lenient.def) as data. */
#include <string.h>

#include "cf_parser.h"

struct code_row {
    const char *name, *section, *message;
    unsigned bit;
    int status;
};

static const struct code_row rows[CF_V__COUNT] = {
#define CF_VIOLATION(name, section, bit, status, message) {#name, section, message, bit, status},
#include "cf_violations.def"
#undef CF_VIOLATION
};

static const struct code_row *row(cf_code code)
{
    return (unsigned)code < CF_V__COUNT ? &rows[code] : &rows[CF_V_NONE];
}

const char *cf_code_name(cf_code code)
{
    return row(code)->name;
}

const char *cf_code_section(cf_code code)
{
    return row(code)->section;
}

const char *cf_code_message(cf_code code)
{
    return row(code)->message;
}

unsigned cf_code_lenient_bit(cf_code code)
{
    return row(code)->bit;
}

int cf_code_status(cf_code code)
{
    return row(code)->status;
}

/* The lenient bits in bit order (cf_lenient.def). */
struct lenient_row {
    unsigned bit;
    const char *name, *section, *repair;
};

static const struct lenient_row lenient_rows[] = {
#define CF_LENIENT(name, bit, text_name, section, repair) {bit, text_name, section, repair},
#include "cf_lenient.def"
#undef CF_LENIENT
};
#define N_LENIENT (sizeof lenient_rows / sizeof lenient_rows[0])

/* The row of a single CF_LENIENT_* bit, or NULL. */
static const struct lenient_row *lenient_row(unsigned bit)
{
    if (bit == 0 || (bit & (bit - 1)) != 0) return NULL;
    unsigned i = (unsigned)__builtin_ctz(bit);
    return i < N_LENIENT ? &lenient_rows[i] : NULL;
}

const char *cf_lenient_name(unsigned bit)
{
    const struct lenient_row *r = lenient_row(bit);
    return r ? r->name : NULL;
}

const char *cf_lenient_section(unsigned bit)
{
    const struct lenient_row *r = lenient_row(bit);
    return r ? r->section : NULL;
}

const char *cf_lenient_repair(unsigned bit)
{
    const struct lenient_row *r = lenient_row(bit);
    return r ? r->repair : NULL;
}

unsigned cf_lenient_from_name(const char *name, size_t len)
{
    for (unsigned i = 0; i < N_LENIENT; i++)
        if (strlen(lenient_rows[i].name) == len && !memcmp(lenient_rows[i].name, name, len))
            return 1u << lenient_rows[i].bit;
    return 0;
}
