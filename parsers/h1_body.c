/* The message body: Content-Length, close-delimited, and the chunked transfer coding
 * (RFC 9112 §6.3, §7.1) with extensions and trailer section. */
#include <stdint.h>

#include "h1_chars.h"
#include "h1_internal.h"

/* RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ) */
enum {
    EXT_SEMI,       /* BWS, expecting ";" */
    EXT_NAME_START, /* BWS, expecting chunk-ext-name */
    EXT_NAME,
    EXT_AFTER_NAME, /* BWS, expecting "=", ";" or CRLF */
    EXT_VAL_START,  /* BWS, expecting token or quoted-string */
    EXT_TOKEN,
    EXT_QUOTED,
    EXT_QUOTED_ESC,
    EXT_AFTER_VAL, /* after a value: BWS ";" or CRLF */
};

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t';
}

/* RFC 9110 §5.6.4: qdtext and the byte after "\" in quoted-pair (HTAB / SP / VCHAR / obs-text). */
static int quoted_ok(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* One byte of chunk extensions. Returns 1 to go on, 0 on a syntax error; sets *eol on CR/LF. */
static int ext_byte(h1_parser *p, unsigned char c, int *eol)
{
    uint8_t s = p->ext_state;
    int tch = h1_tchar[c] != 0;
    *eol = 0;
    if (c == '\r' || c == '\n') {
        *eol = s == EXT_NAME || s == EXT_AFTER_NAME || s == EXT_TOKEN || s == EXT_AFTER_VAL;
        return *eol;
    }
    switch (s) {
    case EXT_SEMI:
        if (c == ';') p->ext_state = EXT_NAME_START;
        return is_ws(c) || c == ';';
    case EXT_NAME_START:
        if (tch) p->ext_state = EXT_NAME;
        return is_ws(c) || tch;
    case EXT_NAME:
    case EXT_AFTER_NAME:
        if (tch && s == EXT_NAME) return 1;
        if (is_ws(c))
            p->ext_state = EXT_AFTER_NAME;
        else if (c == '=')
            p->ext_state = EXT_VAL_START;
        else if (c == ';')
            p->ext_state = EXT_NAME_START;
        else
            return 0;
        return 1;
    case EXT_VAL_START:
        if (c == '"')
            p->ext_state = EXT_QUOTED;
        else if (tch)
            p->ext_state = EXT_TOKEN;
        return is_ws(c) || c == '"' || tch;
    case EXT_TOKEN:
    case EXT_AFTER_VAL:
        if (tch && s == EXT_TOKEN) return 1;
        if (is_ws(c))
            p->ext_state = EXT_SEMI;
        else if (c == ';')
            p->ext_state = EXT_NAME_START;
        else
            return 0;
        return 1;
    case EXT_QUOTED:
        if (c == '"')
            p->ext_state = EXT_AFTER_VAL;
        else if (c == '\\')
            p->ext_state = EXT_QUOTED_ESC;
        return quoted_ok(c);
    case EXT_QUOTED_ESC: p->ext_state = EXT_QUOTED; return quoted_ok(c);
    }
    return 0;
}

/* The chunk-size line has ended: a data chunk follows, or the last-chunk's trailer section. */
static void size_line_done(h1_parser *p)
{
    p->body_state = p->chunk_size ? H1_BS_DATA : H1_BS_TRAILERS;
    p->remaining = p->chunk_size;
    p->trailer_resume = p->num_violations;
    p->msg.num_trailers = 0;
}

/* One byte of the chunk-size line (RFC 9112 §7.1). Returns 0 with p->error set on a violation. */
static int size_byte(h1_parser *p, unsigned char c, size_t off)
{
    int eol = 0;
    switch (p->body_state) {
    case H1_BS_SIZE_START:
        if (h1_hex[c] == 255) return h1_fail(p, H1_V_CHUNK_SIZE, off), 0;
        p->chunk_size = h1_hex[c];
        p->ext_len = 0;
        p->body_state = H1_BS_SIZE;
        return 1;
    case H1_BS_SIZE:
        if (h1_hex[c] != 255) {
            if (p->chunk_size > ((uint64_t)INT64_MAX >> 4))
                return h1_fail(p, H1_V_CHUNK_SIZE_OVERFLOW, off), 0;
            p->chunk_size = (p->chunk_size << 4) | h1_hex[c];
            return 1;
        }
        if (c == '\r') {
            p->body_state = H1_BS_SIZE_LF;
            return 1;
        }
        if (c == '\n') break;
        if (c != ';' && !is_ws(c)) return h1_fail(p, H1_V_CHUNK_SIZE, off), 0;
        p->ext_state = c == ';' ? EXT_NAME_START : EXT_SEMI;
        p->body_state = H1_BS_EXT;
        p->ext_len = 1;
        return 1;
    case H1_BS_EXT:
        if (c != '\r' && c != '\n' && ++p->ext_len > p->limits.max_chunk_ext)
            return h1_fail(p, H1_V_CHUNK_EXT_TOO_LONG, off), 0;
        if (!ext_byte(p, c, &eol)) return h1_fail(p, H1_V_CHUNK_EXT, off), 0;
        if (!eol) return 1;
        if (c == '\r') {
            p->body_state = H1_BS_SIZE_LF;
            return 1;
        }
        break;
    case H1_BS_SIZE_LF:
        if (c != '\n') return h1_fail(p, H1_V_BARE_CR, off - 1), 0;
        size_line_done(p);
        return 1;
    }
    /* A bare LF ends the line (RFC 9112 §2.2 MAY). */
    if (!h1_violate(p, H1_V_BARE_LF, off)) return 0;
    size_line_done(p);
    return 1;
}

/* RFC 9112 §7.1.2: the trailer section, parsed like the header section once it is whole. */
static h1_status trailers(h1_parser *p, const char *buf, size_t len, size_t *i)
{
    size_t pos = *i;
    h1_fields_ctx c;
    p->num_violations = p->trailer_resume;
    p->msg.num_trailers = 0;
    c.buf = buf;
    c.len = len;
    c.bound = *i + p->limits.max_trailer;
    c.end = len < c.bound ? len : c.bound;
    c.bound_code = H1_V_TRAILERS_TOO_LARGE;
    c.base = p->stream_off;
    c.arr = p->msg.trailers; /* NULL: validated and counted only */
    c.cap = c.arr ? p->max_trailers : 0;
    c.n = &p->msg.num_trailers;
    c.max_fields = p->limits.max_fields;
    c.start_line_follows = 0;
    c.marks = NULL;
    h1_status st = h1_fields_parse(p, &c, &pos);
    if (st == H1_DONE) {
        *i = pos;
        p->body_state = H1_BS_DONE;
    }
    return st;
}

static h1_status chunked(h1_parser *p, const char *buf, size_t len, h1_span *data, size_t *used)
{
    const unsigned char *b = (const unsigned char *)buf;
    size_t i = 0;
    h1_status st = H1_AGAIN;
    while (i < len && st == H1_AGAIN) {
        switch (p->body_state) {
        case H1_BS_DATA: {
            size_t n = (uint64_t)(len - i) < p->remaining ? len - i : (size_t)p->remaining;
            data->ptr = buf + i;
            data->len = n;
            i += n;
            p->remaining -= n;
            p->body_received += n;
            if (p->remaining == 0) p->body_state = H1_BS_DATA_CR;
            *used = i;
            return H1_AGAIN;
        }
        case H1_BS_DATA_CR:
            if (b[i] == '\n') { /* RFC 9112 §2.2: bare LF */
                if (!h1_violate(p, H1_V_BARE_LF, p->stream_off + i)) return H1_ERROR;
                p->body_state = H1_BS_SIZE_START;
            } else if (b[i] == '\r') {
                p->body_state = H1_BS_DATA_LF;
            } else {
                return h1_fail(p, H1_V_CHUNK_DATA_CRLF, p->stream_off + i);
            }
            i++;
            break;
        case H1_BS_DATA_LF:
            if (b[i] != '\n') return h1_fail(p, H1_V_CHUNK_DATA_CRLF, p->stream_off + i);
            p->body_state = H1_BS_SIZE_START;
            i++;
            break;
        case H1_BS_TRAILERS:
            st = trailers(p, buf, len, &i);
            if (st == H1_ERROR) return st;
            *used = i;
            return st;
        default:
            if (!size_byte(p, b[i], p->stream_off + i)) return H1_ERROR;
            i++;
        }
    }
    *used = i;
    return p->body_state == H1_BS_DONE ? H1_DONE : H1_AGAIN;
}

h1_status h1_parse_body(h1_parser *p, const char *buf, size_t len, h1_span *data, size_t *used)
{
    h1_status st = H1_AGAIN;
    data->ptr = buf;
    data->len = 0;
    *used = 0;
    if (p->error.code != H1_V_NONE) return H1_ERROR;
    if (p->head_state != H1_HS_DONE) return H1_AGAIN;
    switch (p->body_state) {
    case H1_BS_DONE: return H1_DONE;
    case H1_BS_LENGTH: {
        size_t n = (uint64_t)len < p->remaining ? len : (size_t)p->remaining;
        data->len = n;
        *used = n;
        p->remaining -= n;
        p->body_received += n;
        if (p->remaining == 0) {
            p->body_state = H1_BS_DONE;
            st = H1_DONE;
        }
        break;
    }
    case H1_BS_CLOSE:
        data->len = len;
        *used = len;
        p->body_received += len;
        break;
    default: st = chunked(p, buf, len, data, used);
    }
    p->stream_off += *used;
    return st;
}

h1_status h1_parse_eof(h1_parser *p)
{
    if (p->error.code != H1_V_NONE) return H1_ERROR;
    if (p->head_state != H1_HS_DONE) return H1_AGAIN;
    if (p->body_state == H1_BS_CLOSE) p->body_state = H1_BS_DONE;
    return p->body_state == H1_BS_DONE ? H1_DONE : H1_AGAIN;
}
