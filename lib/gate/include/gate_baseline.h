/* Baselines of known deviations for `conform run --baseline FILE` (docs/baseline.md): either a
 * previous JSON result of conform run, or a hand-kept YAML list (`known:` entries of id, reason
 * and optionally target; or of rule, optionally case, reason and target, for rule findings). Loads
 * both into a comparison set; saves the current failures back in the file's own kind. */
#ifndef CF_GATE_BASELINE_H
#define CF_GATE_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "gate_compare.h"
#include "gate_failon.h"
#include "report_model.h"
#include "rules.h"

/* The two kinds of baseline file. */
typedef enum { CF_BASELINE_YAML, CF_BASELINE_JSON } cf_baseline_kind;

/* A loaded baseline. */
typedef struct cf_baseline {
    cf_baseline_kind kind;
    cf_gate_set set; /* JSON: every case with its verdict; YAML: the known entries (verdict
                        NULL) */
} cf_baseline;

/* The kind of a file by its contents: JSON when the first non-blank byte is '{', else YAML.
 * An empty text is YAML. */
cf_baseline_kind cf_baseline_sniff(const char *text, size_t len);

/* Loads the baseline in path into *out (zeroed first; free with cf_baseline_free). Returns 0,
 * or -1 with a one-line message in err ("FILE:LINE:COLUMN: what" when the place is known). */
int cf_baseline_load(const char *path, cf_baseline *out, char *err, size_t errlen);

/* The same from text[0..len); name stands for the file in messages. */
int cf_baseline_load_text(const char *text, size_t len, const char *name, cf_baseline *out,
                          char *err, size_t errlen);

/* Rewrites path with the current failures of now (per f), in kind. YAML: one entry per failing
 * case and, with mode gate, one per rule failing in a case (an old entry for the rule in every
 * case stays one entry while the rule is found), keeping the reason (and target) of old's entry
 * for those that stay, and keeping old's entries for cases now does not hold (other targets, a
 * narrower selection) and, unless mode is gate, its rule entries; a `target:` is written when
 * now has more than one target. JSON: now, written as the JSON report. The file is written
 * whole to PATH.tmp and renamed. Returns 0, or -1 with a message in err. */
int cf_baseline_save(const char *path, cf_baseline_kind kind, const cf_baseline *old,
                     const cf_report *now, cf_failon f, cf_rules_mode mode, char *err,
                     size_t errlen);

/* Frees everything b owns and zeroes it. */
void cf_baseline_free(cf_baseline *b);

#endif
