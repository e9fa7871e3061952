/* A step result read by the runner's collector (collect_fixture.h). */
#include "collect_fixture.h"

#include <criterion/criterion.h>
#include <string.h>

#include "exchange_collect.h"

void cf_fixture_step(const char *sent, size_t slen, const char *recv, size_t rlen,
                     cf_conn_state conn, cf_step_result *out)
{
    cf_collect c;
    memset(&c, 0, sizeof c);
    cf_collect_caps caps = {.max_body = 1 << 16, .max_raw = 1 << 16, .max_total = 1 << 20};
    cf_collect_init(&c, &caps);
    cf_collect_sent(&c, (const uint8_t *)sent, slen);
    memset(out, 0, sizeof *out);
    cf_collect_begin(&c, out);
    if (rlen) cf_collect_feed(&c, (const uint8_t *)recv, rlen); /* the runner feeds no 0 bytes */
    if (conn != CF_CONN_STATE_OPEN) cf_collect_eof(&c, conn == CF_CONN_STATE_RESET);
    cf_collect_end(&c);
    out->conn = conn;
    bool oom = c.oom;
    cf_collect_free(&c);
    cr_assert(!oom, "out of memory collecting the fixture");
}
