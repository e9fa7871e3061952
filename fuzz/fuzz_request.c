/* libFuzzer target: the request parser (h1_parse_head, h1_parse_body, h1_parse_eof).
 * Input: one configuration byte (fuzz_http.h: '0' strict, '1' lenient, ...), then the bytes of
 * one or more pipelined requests. Kept lean for speed; fuzz_differential does the heavy checks. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer entry point: parses the input as requests; aborts when the contract breaks. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    h1_parser p;
    cf_fuzz_setup(&p, H1_REQUEST, data[0]);
    cf_fuzz_stream(&p, (const char *)data + 1, size - 1);
    return 0;
}
