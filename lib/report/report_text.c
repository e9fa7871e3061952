/* Helpers shared by the text report formats (report_text.h). */
#include "report_text.h"

void cf_report_put_seconds(FILE *out, uint64_t ms)
{
    fprintf(out, "%llu.%03u", (unsigned long long)(ms / 1000), (unsigned)(ms % 1000));
}
