/* The violation table as data (cf_violations.def) and the names of the lenient bits. */
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

/* Bit names in bit order; docs/parser.md lists the same names. */
static const char *const lenient_names[] = {
    "bare-cr",         "bare-lf",     "ws-after-start-line",
    "request-line-ws", "status-line", "space-before-colon",
    "field-value",     "obs-fold",    "cl-repeated",
    "te-with-cl",      "te-http10",
};

const char *cf_lenient_name(unsigned bit)
{
    for (unsigned i = 0; i < sizeof lenient_names / sizeof lenient_names[0]; i++)
        if (bit == 1u << i) return lenient_names[i];
    return NULL;
}

unsigned cf_lenient_from_name(const char *name, size_t len)
{
    for (unsigned i = 0; i < sizeof lenient_names / sizeof lenient_names[0]; i++)
        if (strlen(lenient_names[i]) == len && !memcmp(lenient_names[i], name, len)) return 1u << i;
    return 0;
}
