/* conform run: the target a run talks to. Parses the --target text (HOST:PORT, [IPV6]:PORT,
 * http://HOST:PORT[/], https://HOST:PORT[/], tls://HOST:PORT, builtin) and resolves it with
 * getaddrinfo (or a --resolve entry). */
#ifndef CF_NET_TARGET_H
#define CF_NET_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "spec_bytes.h"

/* How connections to a TLS target are made (docs/commands/run.md "TLS"): the curl options of
 * the same names. The paths point into argv (or other storage that outlives the run). */
typedef struct cf_tls_conf {
    bool on;            /* https:// or tls://: every connection is TLS through libcurl */
    bool insecure;      /* --insecure: no verification of the certificate or the name */
    const char *cacert; /* --cacert FILE: trust anchors; NULL: the system's */
    const char *cert;   /* --cert FILE: a client certificate (PEM); NULL: none */
    const char *key;    /* --key FILE: its private key; NULL: in the --cert file */
    char name[256];     /* the name sent as SNI and verified: --sni, else the target's host */
} cf_tls_conf;

/* At most this many --resolve entries. */
#define CF_MAX_RESOLVE 8

/* A parsed target. host is without brackets ("::1"); display is how messages show it
 * ("[::1]:8080"). builtin targets get host and port once the built-in server is started. */
typedef struct cf_run_target {
    bool builtin;
    char host[256];
    char port[8];
    char display[280];
    cf_spec_target vars; /* the spec placeholders' values: host, port, authority (set with host
                            and port), resources (cf_profile_apply, when a profile is given) */
    cf_tls_conf tls;     /* on for https:// and tls:// (cf_run_target_apply sets the rest) */
    const char *resolve[CF_MAX_RESOLVE]; /* --resolve HOST:PORT:ADDR entries (argv) */
    size_t nresolve;
} cf_run_target;

/* One resolved address of a target, and how to talk to it (plain TCP, or TLS). */
typedef struct cf_run_addr {
    struct sockaddr_storage ss;
    socklen_t len;
    cf_tls_conf tls; /* the target's (tls.on false: plain TCP) */
    char port[8];    /* the target's port, for the TLS library's URL */
} cf_run_addr;

/* Parses text into *t. Returns 0, or -1 with a message in err (capacity errlen). */
int cf_run_target_parse(const char *text, cf_run_target *t, char *err, size_t errlen);

/* Sets host and port of t (a builtin target once its server runs), its display text and the
 * placeholder values (t->vars, without resources). Returns 0, or -1 when host or port is
 * unusable. */
int cf_run_target_set(cf_run_target *t, const char *host, const char *port);

/* The options of run, fuzz and profile about how the target is reached, curl's names: how TLS
 * is made and where a name goes. Strings point into argv. */
typedef struct cf_target_opts {
    bool insecure;
    const char *cacert, *cert, *key, *sni;
    const char *resolve[CF_MAX_RESOLVE]; /* HOST:PORT:ADDR */
    size_t nresolve;
    bool several; /* the command has several targets: the TLS options are for the TLS ones, a
                     plain one among them is no error */
} cf_target_opts;

/* Adds a --resolve HOST:PORT:ADDR entry to o (curl's syntax: connections to HOST:PORT go to
 * ADDR, an IP address, IPv6 in brackets or not; the Host header and SNI stay HOST). The text
 * must outlive o. Returns 0, or -1 with a message in err. */
int cf_target_opts_add_resolve(cf_target_opts *o, const char *entry, char *err, size_t errlen);

/* Applies o to t (after cf_run_target_parse): its TLS settings and --resolve entries. Returns 0,
 * or -1 with a message in err (an unusable --sni, TLS options for a plain target when it is the
 * only one: the user most likely forgot https://). */
int cf_run_target_apply(cf_run_target *t, const cf_target_opts *o, char *err, size_t errlen);

/* Resolves t with getaddrinfo (TCP) into up to max addresses in out; returns the count (> 0),
 * or -1 with a message in err. */
int cf_run_target_resolve(const cf_run_target *t, cf_run_addr *out, size_t max, char *err,
                          size_t errlen);

#endif
