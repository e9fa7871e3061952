/* The messages the parser benchmark parses, with what a correct parse of each must find. */
#ifndef CF_BENCH_MESSAGES_H
#define CF_BENCH_MESSAGES_H

#include <stddef.h>

/* One benchmark message: the whole message as it arrives on the wire. */
typedef struct cf_bench_msg {
    const char *name;   /* short id used in the table and JSON ("get-minimal") */
    const char *what;   /* one line for people */
    int is_request;     /* 1: request, 0: response */
    const char *text;   /* the message bytes (head, then body_len body bytes) */
    size_t len;         /* bytes of text: head_len + body_len */
    size_t head_len;    /* start-line + field lines + empty line */
    size_t body_len;    /* Content-Length body after the head (0 for none) */
    size_t num_headers; /* field lines a correct parser reports */
} cf_bench_msg;

/* The benchmark messages, in table order; *count receives how many. Static storage. */
const cf_bench_msg *cf_bench_messages(size_t *count);

#endif
