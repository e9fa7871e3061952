/* The options of conform run, fuzz and profile about how the target is reached (TLS, and where a
 * name goes), with curl's names so users know them: one set of table rows and one handler, so
 * the three commands take them alike (docs/commands/run.md "TLS"). */
#ifndef CF_TARGET_OPTIONS_H
#define CF_TARGET_OPTIONS_H

#include "cli_options.h"
#include "net_target.h"
#include "util_buf.h"

/* Their ids, above every command's own. */
enum {
    CF_TOPT_INSECURE = 900,
    CF_TOPT_CACERT,
    CF_TOPT_CERT,
    CF_TOPT_KEY,
    CF_TOPT_SNI,
    CF_TOPT_RESOLVE,
};

/* The rows, for a command's option table. */
#define CF_TARGET_OPTIONS                                                                          \
    {CF_TOPT_INSECURE,                                                                             \
     "insecure",                                                                                   \
     'k',                                                                                          \
     CF_CLI_FLAG,                                                                                  \
     NULL,                                                                                         \
     "TLS: do not verify the server's certificate or its name",                                    \
     0,                                                                                            \
     0},                                                                                           \
        {CF_TOPT_CACERT,                                                                           \
         "cacert",                                                                                 \
         0,                                                                                        \
         CF_CLI_STRING,                                                                            \
         "FILE",                                                                                   \
         "TLS: verify the server's certificate against the CA certificates in FILE (PEM) "         \
         "instead of the system's",                                                                \
         0,                                                                                        \
         0},                                                                                       \
        {CF_TOPT_CERT,                                                                             \
         "cert",                                                                                   \
         0,                                                                                        \
         CF_CLI_STRING,                                                                            \
         "FILE",                                                                                   \
         "TLS: present the client certificate in FILE (PEM)",                                      \
         0,                                                                                        \
         0},                                                                                       \
        {CF_TOPT_KEY, "key",                                                                       \
         0,           CF_CLI_STRING,                                                               \
         "FILE",      "TLS: the private key of --cert (default: in the --cert file)",              \
         0,           0},                                                                          \
        {CF_TOPT_SNI,                                                                              \
         "sni",                                                                                    \
         0,                                                                                        \
         CF_CLI_STRING,                                                                            \
         "NAME",                                                                                   \
         "TLS: send NAME as the server name (SNI) and verify the certificate for it "              \
         "(default: the target's host; the Host header keeps the target's)",                       \
         0,                                                                                        \
         0},                                                                                       \
    {                                                                                              \
        CF_TOPT_RESOLVE, "resolve", 0, CF_CLI_STRING, "HOST:PORT:ADDR",                            \
            "connect to ADDR when the target is HOST:PORT (the Host header and SNI stay HOST); "   \
            "repeatable",                                                                          \
            0, 0                                                                                   \
    }

/* Handles opt when it is one of CF_TARGET_OPTIONS, into o. Returns 1 when it is not one, 0 when
 * handled, -1 after printing why the value is bad (cf_cli_bad_value). */
int cf_target_option(const cf_cli_command *cmd, cf_target_opts *o, const cf_cli_option *opt,
                     const cf_cli_value *v);

/* Appends o as options of a command line (" --insecure --sni NAME ..."), values quoted for the
 * shell: what a case's rerun command repeats. */
void cf_target_opts_words(const cf_target_opts *o, cf_buf *out);

#endif
