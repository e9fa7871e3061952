/* libFuzzer target: the response parser, which needs the method of the request answered
 * (RFC 9112 §6.3: HEAD and 2xx-to-CONNECT responses have no body).
 * Input: a configuration byte (fuzz_http.h), a method byte (see method_for), then the bytes of
 * one or more responses (a 1xx followed by the final response, say). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The method answered: a readable letter in seeds ('G' GET, 'H' HEAD, 'C' CONNECT, 'P' POST,
 * 'O' OPTIONS, '-' none given); any other byte picks one of them. */
static const char *method_for(uint8_t b)
{
    static const char *const table[] = {"GET", "HEAD", "CONNECT", "POST", "OPTIONS", NULL};
    switch (b) {
    case 'G': return "GET";
    case 'H': return "HEAD";
    case 'C': return "CONNECT";
    case 'P': return "POST";
    case 'O': return "OPTIONS";
    case '-': return NULL;
    default: return table[b % (sizeof table / sizeof table[0])];
    }
}

/* libFuzzer entry point: parses the input as responses; aborts when the contract breaks. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    h1_parser p;
    cf_fuzz_setup(&p, H1_RESPONSE, data[0]);
    const char *method = method_for(data[1]);
    if (method) {
        p.request_method.ptr = method;
        p.request_method.len = strlen(method);
    }
    cf_fuzz_stream(&p, (const char *)data + 2, size - 2);
    return 0;
}
