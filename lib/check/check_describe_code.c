/* The parser's code names for the checker (kept apart from spec_model.h, see the header). */
#include "check_describe_code.h"

#include "cf_parser.h"

const char *cf_check_code_name(int code)
{
    if (code < 0 || code >= (int)CF_V__COUNT) return cf_code_name(CF_V_NONE);
    return cf_code_name((cf_code)code);
}
