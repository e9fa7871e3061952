/* The parser's code names for the checker (kept apart from spec_model.h, see the header). */
#include "check_describe_code.h"

#include "h1_parser.h"

const char *cf_check_code_name(int code)
{
    if (code < 0 || code >= (int)H1_V__COUNT) return h1_code_name(H1_V_NONE);
    return h1_code_name((h1_code)code);
}
