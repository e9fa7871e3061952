/* Reads a file or standard input in blocks, with errors as values. */
#ifndef CF_UTIL_INPUT_H
#define CF_UTIL_INPUT_H

#include <stddef.h>

typedef struct cf_input {
    int fd;
    int owned;        /* fd was opened here and is closed by cf_input_close */
    const char *name; /* for messages: the path, or "stdin" */
    int err;          /* errno of the last failure, 0 if none */
} cf_input;

/* Result of cf_input_read. */
typedef enum cf_input_status {
    CF_INPUT_OK,    /* *got > 0 bytes were read */
    CF_INPUT_EOF,   /* the input has ended */
    CF_INPUT_ERROR, /* reading failed: in->err holds errno */
} cf_input_status;

/* Opens path for reading; NULL or "-" is standard input (not closed later). Returns 0, or -1
 * with in->err set. */
int cf_input_open(cf_input *in, const char *path);

/* Reads up to cap bytes into buf (retrying on EINTR); sets *got to the count. */
cf_input_status cf_input_read(cf_input *in, char *buf, size_t cap, size_t *got);

/* Closes the input if cf_input_open opened it. */
void cf_input_close(cf_input *in);

#endif
