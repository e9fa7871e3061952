/* Compliance rules on connection management: Connection, close, Upgrade (RFC 9112 §9.6,
 * RFC 9110 §7.6.1, §7.8). */
#include "rules_internal.h"

/* RFC 9110 §7.6.1: Connection = #connection-option ; connection-option = token */
static void check_connection_syntax(cf_rules_run *run)
{
    const cf_obs_response *r = run->r;
    for (size_t i = 0; i < r->nfields; i++) {
        const cf_obs_field *f = &r->fields[i];
        if (f->name_len != 10 || !h1_span_ieq((h1_span){f->name, f->name_len}, "Connection"))
            continue;
        h1_span it[32];
        size_t empty, k = cf_rules_list(f->value, f->value_len, it, 32, &empty);
        for (size_t j = 0; j < k && j < 32; j++) {
            if (h1_lex_is_token(it[j].ptr, it[j].len)) continue;
            cf_rules_report(run, CF_R_CONNECTION_INVALID,
                            "Connection option \"%.*s\" is not a token", (int)it[j].len, it[j].ptr);
            return;
        }
    }
}

void cf_rules_check_conn(cf_rules_run *run)
{
    const cf_rule_ctx *ctx = run->ctx;
    const cf_obs_response *r = run->r;
    bool close = cf_rules_list_has(r, "Connection", "close");
    /* RFC 9112 §9.6: a server that sends "close" MUST initiate closure after that response and
     * MUST NOT process further requests. */
    if (ctx->data_after_close && close)
        cf_rules_report(run, CF_R_DATA_AFTER_CONNECTION_CLOSE,
                        "the server sent more bytes after this Connection: close response");
    /* RFC 9112 §9.6: the server SHOULD send "close" in its final response to such a request. */
    if (ctx->request_conn_close && r->status >= 200 && !close)
        cf_rules_report(run, CF_R_CONNECTION_CLOSE_NOT_ECHOED,
                        "the request had Connection: close; the %d response has no close option",
                        r->status);
    check_connection_syntax(run);
    /* RFC 9110 §7.8: a sender of Upgrade MUST also send the "Upgrade" connection option. */
    if (cf_rules_field(r, "Upgrade") && !cf_rules_list_has(r, "Connection", "upgrade"))
        cf_rules_report(run, CF_R_UPGRADE_WITHOUT_CONNECTION_OPTION,
                        "Upgrade sent but Connection does not list \"upgrade\"");
}
