/* The violation table (h1_violations.def) and the lenient bits (h1_lenient.def) as data. */
#include <string.h>

#include "h1_parser.h"

struct code_row {
    const char *name, *section, *message;
    unsigned bit;
    int status;
};

static const struct code_row rows[H1_V__COUNT] = {
#define H1_VIOLATION(name, section, bit, status, message) {#name, section, message, bit, status},
#include "h1_violations.def"
#undef H1_VIOLATION
};

static const struct code_row *row(h1_code code)
{
    return (unsigned)code < H1_V__COUNT ? &rows[code] : &rows[H1_V_NONE];
}

const char *h1_code_name(h1_code code)
{
    return row(code)->name;
}

const char *h1_code_section(h1_code code)
{
    return row(code)->section;
}

const char *h1_code_message(h1_code code)
{
    return row(code)->message;
}

unsigned h1_code_lenient_bit(h1_code code)
{
    return row(code)->bit;
}

int h1_code_status(h1_code code)
{
    return row(code)->status;
}

/* The lenient bits in bit order (h1_lenient.def). */
struct lenient_row {
    unsigned bit;
    const char *name, *section, *repair;
};

static const struct lenient_row lenient_rows[] = {
#define H1_LENIENT(name, bit, text_name, section, repair) {bit, text_name, section, repair},
#include "h1_lenient.def"
#undef H1_LENIENT
};
#define N_LENIENT (sizeof lenient_rows / sizeof lenient_rows[0])

/* The row of a single H1_LENIENT_* bit, or NULL. */
static const struct lenient_row *lenient_row(unsigned bit)
{
    if (bit == 0 || (bit & (bit - 1)) != 0) return NULL;
    unsigned i = (unsigned)__builtin_ctz(bit);
    return i < N_LENIENT ? &lenient_rows[i] : NULL;
}

const char *h1_lenient_name(unsigned bit)
{
    const struct lenient_row *r = lenient_row(bit);
    return r ? r->name : NULL;
}

const char *h1_lenient_section(unsigned bit)
{
    const struct lenient_row *r = lenient_row(bit);
    return r ? r->section : NULL;
}

const char *h1_lenient_repair(unsigned bit)
{
    const struct lenient_row *r = lenient_row(bit);
    return r ? r->repair : NULL;
}

unsigned h1_lenient_from_name(const char *name, size_t len)
{
    for (unsigned i = 0; i < N_LENIENT; i++)
        if (strlen(lenient_rows[i].name) == len && !memcmp(lenient_rows[i].name, name, len))
            return 1u << lenient_rows[i].bit;
    return 0;
}

const char *h1_framing_name(h1_framing f)
{
    static const char *const names[] = {"none", "length", "chunked", "close"};
    return (unsigned)f < sizeof names / sizeof names[0] ? names[f] : "unknown";
}

const char *h1_target_form_name(h1_target_form f)
{
    static const char *const names[] = {"origin", "absolute", "authority", "asterisk"};
    return (unsigned)f < sizeof names / sizeof names[0] ? names[f] : "unknown";
}
