/* The target options shared by run, fuzz and profile (target_options.h). */
#include "target_options.h"

#include "run_repro.h"

int cf_target_option(const cf_cli_command *cmd, cf_target_opts *o, const cf_cli_option *opt,
                     const cf_cli_value *v)
{
    char err[256];
    switch (opt->id) {
    case CF_TOPT_INSECURE: o->insecure = true; return 0;
    case CF_TOPT_CACERT: o->cacert = v->text; break;
    case CF_TOPT_CERT: o->cert = v->text; break;
    case CF_TOPT_KEY: o->key = v->text; break;
    case CF_TOPT_SNI: o->sni = v->text; break;
    case CF_TOPT_RESOLVE:
        if (cf_target_opts_add_resolve(o, v->text, err, sizeof err) == 0) return 0;
        return cf_cli_bad_value(cmd, opt, v->text, "is not HOST:PORT:ADDR (or too many)");
    default: return 1;
    }
    return *v->text ? 0 : cf_cli_bad_value(cmd, opt, v->text, "is empty");
}

/* Appends " --name VALUE" (VALUE a shell word) to out. */
static void word(cf_buf *out, const char *name, const char *value)
{
    if (!value) return;
    cf_buf_fmt(out, " --%s ", name);
    cf_repro_shell_word(value, out);
}

void cf_target_opts_words(const cf_target_opts *o, cf_buf *out)
{
    if (o->insecure) cf_buf_str(out, " --insecure");
    word(out, "cacert", o->cacert);
    word(out, "cert", o->cert);
    word(out, "key", o->key);
    word(out, "sni", o->sni);
    for (size_t i = 0; i < o->nresolve; i++)
        word(out, "resolve", o->resolve[i]);
}
