/* The YAML budget (spec_yaml_budget.h). */
#include "spec_yaml_budget.h"

#include <stdbool.h>
#include <yaml.h>

const char cf_yaml_too_deep[] = "nested deeper than its budget of lists and mappings";
const char cf_yaml_too_many[] = "more nodes than its budget";

const char *cf_yaml_over_budget(const char *text, size_t len, size_t max_depth, size_t max_nodes,
                                size_t *line, size_t *column)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) return "out of memory";
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    size_t depth = 0, nodes = 0;
    const char *why = NULL;
    for (bool done = false; !done && !why;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) break;
        yaml_event_type_t t = ev.type;
        bool open = t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT;
        done = t == YAML_STREAM_END_EVENT;
        depth += open;
        depth -= depth && (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT);
        nodes += open || t == YAML_SCALAR_EVENT || t == YAML_ALIAS_EVENT;
        if (depth > max_depth)
            why = cf_yaml_too_deep;
        else if (nodes > max_nodes)
            why = cf_yaml_too_many;
        *line = ev.start_mark.line + 1;
        *column = ev.start_mark.column + 1;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return why;
}
