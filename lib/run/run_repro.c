/* conform run: reproduction lines for cases (run_repro.h). */
#include "run_repro.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The escape of one byte into e (at most 5 bytes); returns its length. */
static size_t escape_byte(uint8_t b, char e[5])
{
    switch (b) {
    case '\r': memcpy(e, "\\r", 2); return 2;
    case '\n': memcpy(e, "\\n", 2); return 2;
    case '\t': memcpy(e, "\\t", 2); return 2;
    case '\\': memcpy(e, "\\\\", 2); return 2;
    case '%': memcpy(e, "%%", 2); return 2;
    case '\'': memcpy(e, "\\047", 4); return 4;
    default: break;
    }
    if (b >= 0x20 && b <= 0x7e) {
        e[0] = (char)b;
        return 1;
    }
    /* printf(1) reads \NNN as an octal byte; three digits so a following digit is not taken */
    e[0] = '\\';
    e[1] = (char)('0' + (b >> 6));
    e[2] = (char)('0' + ((b >> 3) & 7));
    e[3] = (char)('0' + (b & 7));
    return 4;
}

size_t cf_repro_escape(const uint8_t *bytes, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char e[5];
        size_t el = escape_byte(bytes[i], e);
        if (cap && n + el < cap)
            memcpy(out + n, e, el);
        else if (cap && n < cap)
            cap = n + 1; /* stop writing: keep a clean prefix */
        n += el;
    }
    if (cap) out[n < cap ? n : cap - 1] = 0;
    return n;
}

char *cf_repro_line(const uint8_t *bytes, size_t len, const char *host, const char *port,
                    const char *tls_name, size_t max_bytes, unsigned wait_s)
{
    if (len > max_bytes) {
        size_t need = 160;
        char *s = malloc(need);
        if (s)
            snprintf(s, need,
                     "(no shell line: the case sends %zu bytes, more than %zu; the rerun "
                     "command shows them)",
                     len, max_bytes);
        return s;
    }
    size_t esc = cf_repro_escape(bytes, len, NULL, 0);
    size_t need = esc + strlen(host) + strlen(port) + (tls_name ? strlen(tls_name) : 0) + 128;
    char *s = malloc(need);
    if (!s) return NULL;
    size_t n = (size_t)snprintf(s, need, "printf '");
    cf_repro_escape(bytes, len, s + n, need - n);
    n += esc;
    /* bash cannot half-close a /dev/tcp socket, s_client -quiet reads on after its input ends:
     * timeout bounds the wait for the server's close (a keep-alive server would otherwise hold
     * the line until its idle timeout) */
    bool v6 = strchr(host, ':') != NULL;
    uint8_t ip[16];
    /* -servername: the SNI conform sent, none for an IP address (RFC 6066 §3: names only) */
    bool sni =
        tls_name && inet_pton(AF_INET, tls_name, ip) != 1 && inet_pton(AF_INET6, tls_name, ip) != 1;
    if (tls_name) /* -quiet: no session details */
        snprintf(s + n, need - n, "' | timeout %u openssl s_client -quiet -connect %s%s%s:%s%s%s",
                 wait_s ? wait_s : 1, v6 ? "[" : "", host, v6 ? "]" : "", port,
                 sni ? " -servername " : "", sni ? tls_name : "");
    else
        snprintf(s + n, need - n,
                 "' | timeout %u bash -c 'exec 3<>/dev/tcp/%s/%s; cat >&3; cat <&3'",
                 wait_s ? wait_s : 1, host, port);
    return s;
}

int cf_repro_shell_word(const char *s, cf_buf *out)
{
    static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                                "_./:=@%+,-";
    if (*s && strspn(s, plain) == strlen(s)) {
        cf_buf_str(out, s);
    } else {
        cf_buf_str(out, "'");
        for (const char *p = s; *p; p++)
            *p == '\'' ? cf_buf_str(out, "'\\''") : (void)cf_buf_add(out, p, 1);
        cf_buf_str(out, "'");
    }
    return out->err ? -1 : 0;
}

char *cf_repro_rerun(const char *file, const char *id, const char *target_args)
{
    cf_buf b = {0};
    char *exact = cf_strfmt("=%s", id);
    if (!exact) return NULL;
    cf_buf_str(&b, "conform run ");
    cf_repro_shell_word(file, &b);
    cf_buf_str(&b, " --id ");
    cf_repro_shell_word(exact, &b);
    cf_buf_fmt(&b, " %s --show", target_args);
    free(exact);
    return cf_buf_take(&b);
}
