/* The chunked transfer coding (RFC 9112 §7.1): chunk sizes, extensions (§7.1.1), chunk-data
 * CRLF, trailer section (§7.1.2), errors and overflow. */
#include <criterion/criterion.h>

#include "cf_table.h"

#define REQ     "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
#define RESP_CH "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
#define LAST    "0\r\n\r\n"
#define NEXT    "GET / HTTP/1.1\r\nHost: h\r\n\r\n"

/* chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; chunk-size = 1*HEXDIG. */
static const cf_row sizes[] = {
    {IN(REQ LAST), .body = "", .rest = ""},
    {IN(REQ "5\r\nhello\r\n" LAST), .body = "hello", .rest = ""},
    {IN(REQ "5\r\nhello\r\n6\r\n world\r\n" LAST), .body = "hello world"},
    {IN(REQ "a\r\n0123456789\r\n" LAST), .body = "0123456789"},
    {IN(REQ "A\r\n0123456789\r\n" LAST), .body = "0123456789"},
    {IN(REQ "1f\r\n0123456789abcdef0123456789abcde\r\n" LAST),
     .body = "0123456789abcdef0123456789abcde"},
    {IN(REQ "0005\r\nhello\r\n" LAST), .body = "hello"},
    {IN(REQ "00000000000000000000001\r\nx\r\n" LAST), .body = "x"}, /* value, not digits */
    {IN(REQ "000\r\n\r\n"), .body = "", .rest = ""},
    {IN(REQ "4\r\n\r\n\r\n\r\n" LAST), .body = "\r\n\r\n"}, /* chunk-data is any octet */
    {IN(REQ "3\r\n\0\x01\xff\r\n" LAST), BODY("\0\x01\xff")},
    {IN(REQ "1\r\na\r\n1\r\nb\r\n1\r\nc\r\n" LAST), .body = "abc"},
    {IN(REQ "5\r\nhello\r\n" LAST NEXT), .body = "hello", .rest = NEXT},
    {IN(RESP_CH "5\r\nhello\r\n" LAST), RESP, .body = "hello", .rest = ""},
    {IN(RESP_CH "5\r\nhello\r\n" LAST "extra"), RESP, .body = "hello", .rest = "extra"},
    /* cut short: the message is not complete at end of input */
    {IN(REQ), .again = 1, .body = ""},
    {IN(REQ "5"), .again = 1},
    {IN(REQ "5\r\nhel"), .again = 1, .body = "hel"},
    {IN(REQ "5\r\nhello"), .again = 1, .body = "hello"},
    {IN(REQ "5\r\nhello\r\n"), .again = 1, .body = "hello"},
    {IN(REQ "0\r\n"), .again = 1},
    {IN(REQ "0\r\n\r"), .again = 1},
    {IN(RESP_CH "5\r\nhel"), RESP, .again = 1, .body = "hel"},
    /* errors */
    {IN(REQ "g\r\n" LAST), ERR(CHUNK_SIZE), AT_MARK("g\r")},
    {IN(REQ "\r\n" LAST), ERR(CHUNK_SIZE)},
    {IN(REQ "-5\r\nhello\r\n" LAST), ERR(CHUNK_SIZE), AT_MARK("-5")},
    {IN(REQ "+5\r\nhello\r\n" LAST), ERR(CHUNK_SIZE), AT_MARK("+5")},
    {IN(REQ " 5\r\nhello\r\n" LAST), ERR(CHUNK_SIZE), AT_MARK(" 5")},
    {IN(REQ "0x5\r\nhello\r\n" LAST), ERR(CHUNK_SIZE), OR(CHUNK_EXT), AT_MARK("x5")},
    {IN(REQ "5z\r\nhello\r\n" LAST), ERR(CHUNK_SIZE), OR(CHUNK_EXT), AT_MARK("z\r")},
    {IN(REQ "5 \r\nhello\r\n" LAST), ERR(CHUNK_EXT), OR(CHUNK_SIZE)}, /* BWS only before ";" */
    {IN(REQ "\xd9\xa5\r\nhello\r\n" LAST), ERR(CHUNK_SIZE)},
    {IN(REQ "7fffffffffffffff\r\nabc"), .again = 1, .body = "abc"},
    {IN(REQ "8000000000000000\r\n"), ERR(CHUNK_SIZE_OVERFLOW)},
    {IN(REQ "ffffffffffffffff\r\n"), ERR(CHUNK_SIZE_OVERFLOW)},
    {IN(REQ "10000000000000000\r\n"), ERR(CHUNK_SIZE_OVERFLOW)},
    {IN(REQ "100000000000000000000000000000005\r\nhello\r\n" LAST), ERR(CHUNK_SIZE_OVERFLOW)},
    /* chunk-data is followed by exactly CRLF */
    {IN(REQ "5\r\nhelloX\r\n" LAST), ERR(CHUNK_DATA_CRLF), AT_MARK("X\r")},
    {IN(REQ "3\r\nhello\r\n" LAST), ERR(CHUNK_DATA_CRLF), AT_MARK("lo\r")},
    {IN(REQ "5\r\nhello\r\r\n" LAST), ERR(CHUNK_DATA_CRLF), OR(BARE_CR)},
    {IN(REQ "5\r\nhello\n" LAST), ERR(CHUNK_DATA_CRLF), OR(BARE_LF)},
    {IN(REQ "5\r\nhello" LAST), ERR(CHUNK_DATA_CRLF), AT_MARK("0\r")},
    /* line endings of the chunk-size line */
    {IN(REQ "5\nhello\r\n" LAST), ERR(BARE_LF), OR(CHUNK_SIZE), AT_MARK("\nhello")},
    {IN(REQ "5\rhello\r\n" LAST), ERR(BARE_CR), OR(CHUNK_SIZE), AT_MARK("\rhello")},
};

/* chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ) */
static const cf_row extensions[] = {
    {IN(REQ "5;foo\r\nhello\r\n" LAST), .body = "hello"},
    {IN(REQ "5;foo=bar\r\nhello\r\n" LAST), .body = "hello"},
    {IN(REQ "5;a;b=c;d=\"e\"\r\nhello\r\n" LAST), .body = "hello"},
    {IN(REQ "5 ; foo = bar\r\nhello\r\n" LAST), .body = "hello"},
    {IN(REQ "5\t;\tfoo\t=\tbar\r\nhello\r\n" LAST), .body = "hello"},
    {IN(REQ "5;foo=\"b a r\"\r\nhello\r\n" LAST), .body = "hello"},
    {IN(REQ "5;foo=\"a\\\"b;c=d\"\r\nhello\r\n" LAST), .body = "hello"}, /* quoted-pair */
    {IN(REQ "5;foo=\"\"\r\nhello\r\n" LAST), .body = "hello"},
    {IN(REQ "5;foo=\"caf\xe9\"\r\nhello\r\n" LAST), .body = "hello"}, /* obs-text */
    {IN(REQ "5;!#$%&'*+-.^_`|~=!#$%&'*+-.^_`|~\r\nhello\r\n" LAST), .body = "hello"},
    {IN(REQ "0;last=yes\r\n\r\n"), .body = "", .rest = ""},
    {IN(REQ "5;\r\nhello\r\n" LAST), ERR(CHUNK_EXT)},
    {IN(REQ "5;=x\r\nhello\r\n" LAST), ERR(CHUNK_EXT)},
    {IN(REQ "5;a=\r\nhello\r\n" LAST), ERR(CHUNK_EXT)},
    {IN(REQ "5;a=b c\r\nhello\r\n" LAST), ERR(CHUNK_EXT)},
    {IN(REQ "5;a b\r\nhello\r\n" LAST), ERR(CHUNK_EXT)},
    {IN(REQ "5;a@b\r\nhello\r\n" LAST), ERR(CHUNK_EXT), AT_MARK("@")},
    {IN(REQ "5;a=\"x\r\nhello\r\n" LAST), ERR(CHUNK_EXT)},
    {IN(REQ "5;a=\"x\x01\"\r\nhello\r\n" LAST), ERR(CHUNK_EXT), AT_MARK("\x01")},
    {IN(REQ "5;a=\"x\x7f\"\r\nhello\r\n" LAST), ERR(CHUNK_EXT), AT_MARK("\x7f")},
    {IN(REQ "5;a=\"x\"y\r\nhello\r\n" LAST), ERR(CHUNK_EXT), AT_MARK("y\r")},
    {IN(REQ "5;a=b;\r\nhello\r\n" LAST), ERR(CHUNK_EXT)},
    {IN(REQ "5;a=\x01\r\nhello\r\n" LAST), ERR(CHUNK_EXT), AT_MARK("\x01")},
    {IN(REQ "5;a\0\r\nhello\r\n" LAST), ERR(CHUNK_EXT), AT_MARK_PLUS("5;a", 3)},
};

/* trailer-section = *( field-line CRLF ), field-line rules apply (RFC 9112 §7.1.2). */
static const cf_row trailers[] = {
    {IN(REQ "0\r\nX-T: v\r\n\r\n"), .trl = "X-T: v\n", .want = "ntrl=1", .rest = ""},
    {IN(REQ "5\r\nhello\r\n0\r\nA: 1\r\nB:  2 \r\n\r\n"), .body = "hello", .trl = "A: 1\nB: 2\n",
     .want = "ntrl=2", .rest = ""},
    {IN(REQ "0\r\nA: 1\r\n\r\n" NEXT), .trl = "A: 1\n", .rest = NEXT},
    {IN(RESP_CH "0\r\nServer-Timing: db;dur=53\r\n\r\n"), RESP,
     .trl = "Server-Timing: db;dur=53\n"},
    {IN(REQ LAST), .want = "ntrl=0"},
    {IN(REQ "0\r\nA: 1\r\n"), .again = 1},
    {IN(REQ "0\r\nA: 1"), .again = 1},
    {IN(REQ "0\r\n: v\r\n\r\n"), ERR(FIELD_NAME_EMPTY), AT_MARK_PLUS("0\r\n:", 3)},
    {IN(REQ "0\r\nA@B: v\r\n\r\n"), ERR(FIELD_NAME_CHAR), AT_MARK("@")},
    {IN(REQ "0\r\nBad\r\n\r\n"), ERR(FIELD_NO_COLON)},
    {IN(REQ "0\r\nA : v\r\n\r\n"), ERR(SPACE_BEFORE_COLON), AT_MARK(" :")},
    {IN(REQ "0\r\nA: x\x01y\r\n\r\n"), ERR(FIELD_VALUE_CHAR), AT_MARK("\x01")},
    {IN(REQ "0\r\nA: x\r\n y\r\n\r\n"), ERR(OBS_FOLD), AT_MARK_PLUS("\r\n y", 2)},
    {IN(REQ "0\r\nA: x\ny: 1\r\n\r\n"), ERR(BARE_LF), AT_MARK("\ny")},
    {IN(REQ "0\r\nA: x\r\n\n"), ERR(BARE_LF), AT_MARK_PLUS("\r\n\n", 2)},
    {IN(REQ "0\r\nA: x\ry\r\n\r\n"), ERR(BARE_CR), AT_MARK("\ry")},
};

Test(chunked, sizes_data_and_errors)
{
    CF_RUN_TABLE(sizes);
}

Test(chunked, extensions)
{
    CF_RUN_TABLE(extensions);
}

Test(chunked, trailers)
{
    CF_RUN_TABLE(trailers);
}
