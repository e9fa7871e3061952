/* conform run: the target a run talks to. Parses the --target text (HOST:PORT, [IPV6]:PORT,
 * http://HOST:PORT[/], builtin) and resolves it with getaddrinfo. */
#ifndef CF_NET_TARGET_H
#define CF_NET_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "spec_bytes.h"

/* A parsed target. host is without brackets ("::1"); display is how messages show it
 * ("[::1]:8080"). builtin targets get host and port once the built-in server is started. */
typedef struct cf_run_target {
    bool builtin;
    char host[256];
    char port[8];
    char display[280];
    cf_spec_target vars; /* the spec placeholders' values: host, port, authority (set with host
                            and port), resources (cf_profile_apply, when a profile is given) */
} cf_run_target;

/* One resolved address of a target. */
typedef struct cf_run_addr {
    struct sockaddr_storage ss;
    socklen_t len;
} cf_run_addr;

/* Parses text into *t. Returns 0, or -1 with a message in err (capacity errlen). */
int cf_run_target_parse(const char *text, cf_run_target *t, char *err, size_t errlen);

/* Sets host and port of t (a builtin target once its server runs), its display text and the
 * placeholder values (t->vars, without resources). Returns 0, or -1 when host or port is
 * unusable. */
int cf_run_target_set(cf_run_target *t, const char *host, const char *port);

/* Resolves t with getaddrinfo (TCP) into up to max addresses in out; returns the count (> 0),
 * or -1 with a message in err. */
int cf_run_target_resolve(const cf_run_target *t, cf_run_addr *out, size_t max, char *err,
                          size_t errlen);

#endif
