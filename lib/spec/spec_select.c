/* Case selection by id prefix/glob/exact id, tag, RFC section prefix and level. */
#include "spec_select.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util_buf.h"

void cf_select_init(cf_select *sel)
{
    memset(sel, 0, sizeof *sel);
}

/* Calls add(sel, item, len) for each comma-separated item of value; -1 on an empty item. */
static int each_item(cf_select *sel, const char *value,
                     int (*add)(cf_select *, const char *, size_t))
{
    if (!value) return -1;
    const char *p = value;
    for (;;) {
        size_t n = strcspn(p, ",");
        while (n && (*p == ' ' || *p == '\t'))
            p++, n--;
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n == 0 || add(sel, p, n)) return -1;
        p += strcspn(p, ",");
        if (!*p) return 0;
        p++;
    }
}

static int push(char ***v, size_t *n, const char *s, size_t len)
{
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) return -1;
    *v = nv;
    if (!(nv[*n] = malloc(len + 1))) return -1;
    memcpy(nv[*n], s, len);
    nv[*n][len] = 0;
    (*n)++;
    return 0;
}

static int add_id(cf_select *sel, const char *s, size_t n)
{
    return push(&sel->ids, &sel->nids, s, n);
}

static int add_tag(cf_select *sel, const char *s, size_t n)
{
    return push(&sel->tags, &sel->ntags, s, n);
}

static int add_xtag(cf_select *sel, const char *s, size_t n)
{
    return push(&sel->xtags, &sel->nxtags, s, n);
}

static int add_rfc(cf_select *sel, const char *s, size_t n)
{
    cf_rfc_filter f = {0};
    size_t i = 0;
    if (n >= 3 && !strncasecmp(s, "rfc", 3)) i = 3;
    while (i < n && s[i] == ' ')
        i++;
    size_t d = i;
    while (i < n && s[i] >= '0' && s[i] <= '9' && i - d < 6)
        f.rfc = f.rfc * 10 + (unsigned)(s[i++] - '0');
    if (i == d || i - d > 5 || f.rfc == 0) return -1;
    /* separator: spaces, "§" (UTF-8 C2 A7), ':' or '/' in any mix */
    size_t sep = i;
    while (i < n) {
        if (s[i] == ' ' || s[i] == ':' || s[i] == '/')
            i++;
        else if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA7)
            i += 2;
        else
            break;
    }
    size_t sl = n - i;
    if (sl && i == sep) return -1; /* "9112x" */
    if (sl >= sizeof f.section) return -1;
    for (size_t k = i; k < n; k++)
        if (!strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.", s[k])) return -1;
    memcpy(f.section, s + i, sl);
    cf_rfc_filter *nv = realloc(sel->rfcs, (sel->nrfcs + 1) * sizeof *nv);
    if (!nv) return -1;
    sel->rfcs = nv;
    nv[sel->nrfcs++] = f;
    return 0;
}

static int add_level(cf_select *sel, const char *s, size_t n)
{
    static const char *const names[] = {"MUST", "SHOULD", "MAY"};
    for (unsigned i = 0; i < 3; i++) {
        if (strlen(names[i]) == n && !strncasecmp(s, names[i], n)) {
            sel->levels |= 1u << i;
            return 0;
        }
    }
    return -1;
}

int cf_select_add_id(cf_select *sel, const char *value)
{
    return each_item(sel, value, add_id);
}

int cf_select_add_tag(cf_select *sel, const char *value)
{
    return each_item(sel, value, add_tag);
}

int cf_select_add_exclude_tag(cf_select *sel, const char *value)
{
    return each_item(sel, value, add_xtag);
}

int cf_select_add_rfc(cf_select *sel, const char *value)
{
    return each_item(sel, value, add_rfc);
}

int cf_select_add_level(cf_select *sel, const char *value)
{
    return each_item(sel, value, add_level);
}

static bool id_matches(const char *pattern, const char *id)
{
    if (pattern[0] == '=') return strcmp(pattern + 1, id) == 0; /* "=ID": exactly that case */
    if (strpbrk(pattern, "*?[")) return fnmatch(pattern, id, 0) == 0;
    return strncmp(pattern, id, strlen(pattern)) == 0;
}

/* "6" selects 6, 6.1 and 6.3.2, not 60. */
static bool section_matches(const char *prefix, const char *section)
{
    size_t n = strlen(prefix);
    if (n == 0) return true;
    if (!section) return false; /* a case of a user's own spec without a section */
    while (n && prefix[n - 1] == '.')
        n--;
    return strncmp(prefix, section, n) == 0 && (section[n] == 0 || section[n] == '.');
}

int cf_select_set_shard(cf_select *sel, const char *value)
{
    char *end;
    if (!value || *value < '1' || *value > '9') return -1;
    unsigned long i = strtoul(value, &end, 10);
    if (*end != '/' || end[1] < '1' || end[1] > '9') return -1;
    unsigned long n = strtoul(end + 1, &end, 10);
    if (*end || i > n || n > CF_SELECT_MAX_SHARDS) return -1;
    sel->shard = (unsigned)i;
    sel->nshards = (unsigned)n;
    return 0;
}

unsigned cf_select_shard_of(const char *id, unsigned n)
{
    return n ? cf_fnv1a32(id) % n : 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cf_select_set_only(cf_select *sel, const char *const *ids, size_t n)
{
    for (size_t i = 0; i < sel->nonly; i++)
        free(sel->only[i]);
    free(sel->only);
    sel->only = calloc(n ? n : 1, sizeof *sel->only);
    sel->nonly = 0;
    sel->only_set = true;
    if (!sel->only) return -1;
    for (; sel->nonly < n; sel->nonly++)
        if (!(sel->only[sel->nonly] = strdup(ids[sel->nonly]))) return -1;
    qsort(sel->only, n, sizeof *sel->only, cmp_str);
    return 0;
}

bool cf_select_match(const cf_select *sel, const cf_case *c)
{
    if (sel->nshards && cf_select_shard_of(c->id, sel->nshards) != sel->shard - 1) return false;
    if (sel->only_set && !bsearch(&c->id, sel->only, sel->nonly, sizeof *sel->only, cmp_str))
        return false;
    bool ok = sel->nids == 0;
    for (size_t i = 0; i < sel->nids && !ok; i++)
        ok = id_matches(sel->ids[i], c->id);
    if (!ok) return false;
    ok = sel->ntags == 0;
    for (size_t i = 0; i < sel->ntags && !ok; i++)
        for (size_t k = 0; k < c->ntags && !ok; k++)
            ok = !strcmp(sel->tags[i], c->tags[k]);
    if (!ok) return false;
    for (size_t i = 0; i < sel->nxtags; i++)
        for (size_t k = 0; k < c->ntags; k++)
            if (!strcmp(sel->xtags[i], c->tags[k])) return false;
    ok = sel->nrfcs == 0;
    for (size_t i = 0; i < sel->nrfcs && !ok; i++)
        ok = sel->rfcs[i].rfc == c->rfc && section_matches(sel->rfcs[i].section, c->section);
    if (!ok) return false;
    return sel->levels == 0 || (sel->levels & (1u << c->level));
}

size_t cf_select_cases(const cf_select *sel, const cf_spec_set *set, const cf_case ***out)
{
    size_t total = cf_spec_set_ncases(set), n = 0;
    *out = malloc((total ? total : 1) * sizeof **out);
    if (!*out) return (size_t)-1;
    for (size_t f = 0; f < set->nfiles; f++)
        for (size_t i = 0; i < set->files[f]->ncases; i++)
            if (cf_select_match(sel, &set->files[f]->cases[i]))
                (*out)[n++] = &set->files[f]->cases[i];
    return n;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void cf_select_free(cf_select *sel)
{
    free_strings(sel->ids, sel->nids);
    free_strings(sel->tags, sel->ntags);
    free_strings(sel->xtags, sel->nxtags);
    free(sel->rfcs);
    free_strings(sel->only, sel->nonly);
    cf_select_init(sel);
}
