/* The compliance rules catalogue: rules.def as a table, and look-ups by index and by id. Apart
 * from the check driver (rules_table.c) so that the spec loader, which only needs the ids, links
 * without the checks. */
#include <string.h>

#include "rules.h"

typedef struct rule_row {
    const char *id, *section, *level, *text;
} rule_row;

static const rule_row rules[] = {
#define CF_RULE(name, id, section, level, text) {id, section, #level, text},
#include "rules.def"
#undef CF_RULE
};

size_t cf_rules_count(void)
{
    return sizeof rules / sizeof rules[0];
}

const char *cf_rule_id(size_t i)
{
    return i < cf_rules_count() ? rules[i].id : NULL;
}

const char *cf_rule_section(size_t i)
{
    return i < cf_rules_count() ? rules[i].section : NULL;
}

const char *cf_rule_level(size_t i)
{
    return i < cf_rules_count() ? rules[i].level : NULL;
}

const char *cf_rule_text(size_t i)
{
    return i < cf_rules_count() ? rules[i].text : NULL;
}

int cf_rule_find(const char *id, size_t len)
{
    for (size_t i = 0; i < cf_rules_count(); i++) {
        const char *r = cf_rule_id(i);
        if (strlen(r) == len && !memcmp(r, id, len)) return (int)i;
    }
    return -1;
}
