/* The parser's code names for the checker, in a header free of parsers/include/h1_parser.h: that
 * header and spec_model.h both define a type h1_message, so no file may include both (yet). */
#ifndef CF_CHECK_DESCRIBE_CODE_H
#define CF_CHECK_DESCRIBE_CODE_H

/* Stable name of a parser code (h1_code_name), e.g. "OBS_FOLD"; "NONE" for an unknown code. */
const char *cf_check_code_name(int code);

#endif
