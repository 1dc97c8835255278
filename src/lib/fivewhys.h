/* fivewhys.h: the public interface of libfivewhys.
 *
 * libfivewhys loads XML rule trees (one per product need plus a shared
 * motivation layer), compiles their phrase patterns to PCRE2, and follows a
 * customer's free-text answers down the why-ladder to a life motivation.
 *
 * Ownership: fw_*_new() and fw_*_load() give the caller ownership; every
 * fw_*_free() accepts NULL; getters lend pointers that live as long as
 * their parent object. Calls that can fail take a GError ** last, in the
 * FW_ERROR domain.
 */
#ifndef FIVEWHYS_H
#define FIVEWHYS_H

#include <glib.h>

G_BEGIN_DECLS

#define FW_ERROR (fw_error_quark ())
GQuark fw_error_quark (void);

/**
 * FwError:
 * @FW_ERROR_IO: a file could not be read or written
 * @FW_ERROR_XML: a rule file is not well-formed or uses forbidden XML
 * @FW_ERROR_SCHEMA: a rule file does not follow the schema
 * @FW_ERROR_RULE: a rule is inconsistent (ids, references, levels, cycles)
 * @FW_ERROR_PATTERN: a pattern does not compile
 * @FW_ERROR_LIMIT: an input exceeds a documented limit
 * @FW_ERROR_INPUT: an answer or note could not be processed
 * @FW_ERROR_USAGE: the caller asked for something that does not exist
 */
typedef enum {
  FW_ERROR_IO,
  FW_ERROR_XML,
  FW_ERROR_SCHEMA,
  FW_ERROR_RULE,
  FW_ERROR_PATTERN,
  FW_ERROR_LIMIT,
  FW_ERROR_INPUT,
  FW_ERROR_USAGE,
} FwError;

/**
 * FwLevel:
 * The rungs of a means-end chain, from the product towards the person.
 */
typedef enum {
  FW_LEVEL_NEED = 0,
  FW_LEVEL_ATTRIBUTE,
  FW_LEVEL_FUNCTION,
  FW_LEVEL_BENEFIT,
  FW_LEVEL_MOTIVATION,
} FwLevel;

const char *fw_level_to_string (FwLevel level);

typedef enum {
  FW_SEVERITY_ERROR,
  FW_SEVERITY_WARNING,
} FwSeverity;

typedef struct _FwLibrary FwLibrary;
typedef struct _FwRuleset FwRuleset;
typedef struct _FwRung FwRung;
typedef struct _FwMotivation FwMotivation;
typedef struct _FwScratch FwScratch;
typedef struct _FwSession FwSession;

/* ---- Diagnostics ------------------------------------------------------ */

typedef struct {
  FwSeverity severity;
  char *file;    /* as given by the user; may be NULL */
  int line;      /* 1-based; 0 when unknown */
  char *message; /* one line, lower case, no trailing period */
} FwDiagnostic;

/* ---- The rule library --------------------------------------------------- */

/* An empty library. Add files or folders with fw_library_add_path(), then
 * fw_library_compile(). */
FwLibrary *fw_library_new (void);
void fw_library_free (FwLibrary *library);

/* Reads a rule file, or every *.xml file of a folder (sorted by name).
 * Problems inside files are recorded as diagnostics and do not fail the
 * call; returns FALSE only when @path cannot be read at all (missing,
 * unreadable, a folder with no rules). */
gboolean fw_library_add_path (FwLibrary *library, const char *path, GError **error);

/* Resolves references, checks every rule, compiles patterns and builds the
 * word index. Returns FALSE, with a summary in @error, when any diagnostic of
 * severity error was recorded (during loading or here). Warnings do not fail.
 * After this call the library is read-only and may be shared by threads. */
gboolean fw_library_compile (FwLibrary *library, GError **error);

/* Runs the examples and counterexamples of every rung and need as tests and
 * records failures (errors) and shadowed rungs (warnings) as diagnostics.
 * Returns the number of new error diagnostics. Needs a compiled library. */
guint fw_library_run_examples (FwLibrary *library);

/* The diagnostics recorded so far, in file and line order. */
const GPtrArray *fw_library_get_diagnostics (FwLibrary *library); /* FwDiagnostic* */
guint fw_library_count_diagnostics (FwLibrary *library, FwSeverity severity);

/* The default rule folder: $FIVEWHYS_RULES (colon separated) when set,
 * else the source tree's rules/ when run from the build tree, else the
 * installed rules. Returns a NULL-terminated list of paths. */
char **fw_default_rule_paths (void);

guint fw_library_get_n_rulesets (FwLibrary *library);
FwRuleset *fw_library_get_ruleset (FwLibrary *library, guint index);
FwRuleset *fw_library_find_ruleset (FwLibrary *library, const char *id);
guint fw_library_get_n_motivations (FwLibrary *library);
FwMotivation *fw_library_get_motivation (FwLibrary *library, guint index);
FwMotivation *fw_library_find_motivation (FwLibrary *library, const char *id);

/* Finds the ruleset whose need patterns best match @text ("we're looking at
 * a mortgage"), or one whose id or title equals @text. NULL when none. */
FwRuleset *fw_library_match_need (FwLibrary *library, FwScratch *scratch, const char *text);

/* Every compiled pattern of a compiled library, one JSON object a line:
 * {"index", "lang", "owner" (need, rung, motivation or nonanswer), "of"
 * (its id), "raw", "source" (as written), "regex" (the PCRE2 source),
 * "file", "line"}. Phrase patterns run over the normalized text (see
 * doc/rules.md), raw regexes over the text as written, caseless. For
 * benchmarks (bench/run.sh) and rule authors; newly allocated. */
char *fw_library_patterns_to_jsonl (FwLibrary *library);

/* ---- Rulesets, rungs and motivations ---------------------------------- */

const char *fw_ruleset_get_id (FwRuleset *ruleset);
const char *fw_ruleset_get_title (FwRuleset *ruleset);
const char *fw_ruleset_get_lang (FwRuleset *ruleset);
const char *fw_ruleset_get_file (FwRuleset *ruleset);
/* The questions asked about the need itself ("Why do you need a home loan?"). */
const GPtrArray *fw_ruleset_get_asks (FwRuleset *ruleset); /* char* */
/* The rungs directly under the need. */
const GPtrArray *fw_ruleset_get_rungs (FwRuleset *ruleset); /* FwRung* */

/* The rung with @id in @ruleset, or the shared-layer rung of the motivation
 * with that id; NULL when there is none. */
FwRung *fw_ruleset_find_rung (FwRuleset *ruleset, const char *id);

const char *fw_rung_get_id (FwRung *rung);
const char *fw_rung_get_label (FwRung *rung);
FwLevel fw_rung_get_level (FwRung *rung);
/* Depth from the need along the shortest path: rungs under the need are 1. */
guint fw_rung_get_depth (FwRung *rung);
/* The motivation this rung stands for; NULL unless its level is motivation. */
FwMotivation *fw_rung_get_motivation (FwRung *rung);
const GPtrArray *fw_rung_get_children (FwRung *rung); /* FwRung* */
const GPtrArray *fw_rung_get_asks (FwRung *rung);     /* char* */
const GPtrArray *fw_rung_get_examples (FwRung *rung); /* char* */
/* Value attributes the rung names: "ease-of-use", "timeliness", "certainty",
 * "cost", "variety". NULL-terminated; never NULL. */
const char *const *fw_rung_get_attributes (FwRung *rung);

const char *fw_motivation_get_id (FwMotivation *motivation);
const char *fw_motivation_get_label (FwMotivation *motivation);
const char *fw_motivation_get_description (FwMotivation *motivation);
const char *fw_motivation_get_framing (FwMotivation *motivation);
const char *fw_motivation_get_avoid (FwMotivation *motivation);
const char *fw_motivation_get_schwartz (FwMotivation *motivation);

/* ---- Matching ------------------------------------------------------------ */

/* Per-thread working memory: stemmers, caches, PCRE2 match data and JIT
 * stacks. A scratch belongs to one thread at a time. */
FwScratch *fw_scratch_new (FwLibrary *library);
void fw_scratch_free (FwScratch *scratch);

/* Evidence: where in the original text a rung was recognized. */
typedef struct {
  gsize start; /* byte offsets into the original text, end exclusive */
  gsize end;
  const char *text; /* lent: the quoted span, NUL-terminated */
} FwEvidence;

/* ---- Sessions: the why-ladder ----------------------------------------- */

typedef enum {
  FW_STATUS_ASKING,  /* waiting for an answer */
  FW_STATUS_REACHED, /* a motivation was reached */
  FW_STATUS_STALLED, /* too many answers in a row matched nothing */
  FW_STATUS_ENDED,   /* the answers ran out before a motivation */
} FwStatus;

const char *fw_status_to_string (FwStatus status);

/* How an answer was taken. */
typedef enum {
  FW_STEP_DESCEND,   /* matched a rung below the current one */
  FW_STEP_JUMP,      /* named a motivation directly */
  FW_STEP_NO_MATCH,  /* matched nothing: the session asks again */
  FW_STEP_NON_ANSWER /* "I don't know": the session encourages */
} FwStepKind;

/* One answered question. All pointers are lent by the session. */
typedef struct {
  const char *question;
  const char *answer;
  FwStepKind kind;
  FwRung *rung; /* NULL unless descended or jumped */
  double score;
  FwEvidence evidence;
  const char *pattern;   /* the pattern that matched, as written */
  const char *pattern_file;
  int pattern_line;
  char **words;          /* the answer's words that the pattern matched */
  char *explain;         /* nearest candidates that did not match, and why */
  const char *error;     /* a pattern gave up on this answer (PCRE2 limit); NULL normally */
} FwStep;

/* Starts a ladder for @ruleset. The session keeps a pointer to @library,
 * which must outlive it. @max_misses bounds the reprompts (0: default 3). */
FwSession *fw_session_new (FwLibrary *library, FwRuleset *ruleset, guint max_misses);
void fw_session_free (FwSession *session);
/* A session that stands at @rung already, as if the customer had answered
 * down to it (NULL: at the need). Used by eval and by example tests. */
FwSession *fw_session_new_at (FwLibrary *library, FwRuleset *ruleset, FwRung *rung, guint max_misses);

/* The question to ask now; NULL once the session is over. */
const char *fw_session_get_question (FwSession *session);
FwStatus fw_session_get_status (FwSession *session);
/* Takes one answer and moves the ladder. Returns the step recorded, lent.
 * An answer longer than FW_ANSWER_MAX_BYTES is not matched: the step is a
 * miss whose error says so. */
#define FW_ANSWER_MAX_BYTES (64 * 1024)
const FwStep *fw_session_answer (FwSession *session, const char *answer);
/* Marks the session ended when answers run out before a motivation. */
void fw_session_end (FwSession *session);

FwRuleset *fw_session_get_ruleset (FwSession *session);
/* Rungs reached so far, from the need down. */
guint fw_session_get_depth (FwSession *session);
FwRung *fw_session_get_rung (FwSession *session); /* NULL at the need */
FwMotivation *fw_session_get_motivation (FwSession *session);
guint fw_session_get_n_steps (FwSession *session);
const FwStep *fw_session_get_step (FwSession *session, guint index);
/* The whole session as the JSON object of DESIGN.md, newly allocated. */
char *fw_session_to_json (FwSession *session, gboolean explain);

/* ---- Deal notes ------------------------------------------------------------ */

/**
 * FwNoteFlags:
 * What a sales manager looks for in a note.
 * @FW_NOTE_NO_DISCOVERY: a need and nothing under it
 * @FW_NOTE_STOPPED_AT_PRICE: the deepest evidence is price or cost talk: the
 *   last rung of the chain is tagged value="cost", or price words (price,
 *   discount, cheaper, budget, rate, fees...) come after it near the end of
 *   the note, and no motivation surfaced
 * @FW_NOTE_SEVERAL_NEEDS: the need patterns of more than one ruleset match
 * @FW_NOTE_MOTIVATION_WITHOUT_PATH: a motivation surfaced with no rung above it
 */
typedef enum {
  FW_NOTE_NO_DISCOVERY = 1 << 0,
  FW_NOTE_STOPPED_AT_PRICE = 1 << 1,
  FW_NOTE_SEVERAL_NEEDS = 1 << 2,
  FW_NOTE_MOTIVATION_WITHOUT_PATH = 1 << 3,
} FwNoteFlags;

#define FW_NOTE_N_FLAGS 4

/* "no-discovery", "stopped-at-price", "several-needs",
 * "motivation-without-path"; NULL for anything but one flag. */
const char *fw_note_flag_to_string (FwNoteFlags flag);

/* One evidenced rung of a note's chain. */
typedef struct {
  FwRung *rung;        /* a rung of the need's ruleset, or of its motivation layer */
  FwLevel level;
  FwEvidence evidence; /* where in the note; text lent by the result */
} FwChainLink;

/**
 * FwNoteResult:
 * What one deal note says about the ladder. Filled by fw_note_analyze(),
 * which reuses the result's memory from note to note: every pointer in it is
 * lent and lives until the next fw_note_analyze() on the same result, or its
 * fw_note_result_free().
 */
typedef struct {
  FwRuleset *need;          /* NULL when the note names no need and no rungs tell one */
  gboolean need_inferred;   /* no need pattern matched: the need's rungs did */
  FwEvidence need_evidence; /* where the need was stated; zero when inferred or NULL */
  guint depth;              /* evidenced rungs on the chain, as in `ask` */
  FwMotivation *motivation; /* NULL when none surfaced */
  const FwChainLink *chain; /* n_chain links from the need down */
  guint n_chain;
  guint flags;              /* FwNoteFlags */
  /* For shallow notes (depth < 2): up to 3 clauses of the note that matched
   * nothing, at most 8 case-folded words each, for the rule author's to-do
   * list. NULL-terminated; never NULL. */
  const char *const *unmatched;
  guint n_unmatched;
  /*< private >*/
  gpointer priv;
} FwNoteResult;

FwNoteResult *fw_note_result_new (void);
void fw_note_result_free (FwNoteResult *result);

/* Analyzes one deal note (@len bytes of @text, which need not be valid
 * UTF-8 nor NUL-terminated) into @result: the need (stated by need patterns,
 * or inferred when the rungs of one ruleset match), every rung evidenced
 * anywhere in the note, and the path from the need down that holds the most
 * evidenced rungs, then the deepest; a motivation evidenced anywhere in the
 * note completes a path that does not end at one. A phrase evidences one
 * rung of the chain: of two consecutive links with overlapping evidence,
 * only the deeper is kept. The note is normalized in the library's main
 * language (the one most rulesets use), and in another language only when it
 * holds two or more stop words of that language.
 *
 * Allocates nothing once the scratch and the result have seen a note as
 * long. Fails with FW_ERROR_LIMIT when @len exceeds FW_NOTE_MAX_BYTES
 * (@result is then cleared). A pattern that hits the PCRE2 match limit on
 * the note is skipped. Needs a compiled library. */
#define FW_NOTE_MAX_BYTES (16 * 1024 * 1024)
gboolean fw_note_analyze (FwScratch *scratch, const char *text, gsize len, FwNoteResult *result,
                          GError **error);

/* ---- Call-prep scripts ---------------------------------------------------- */

/**
 * FwHistory:
 * What past customers of each need said, read from a report JSON
 * (`fivewhys report --format json`). Only this much is read; every other
 * key is ignored:
 *
 *   {"needs": {"home-loan": {"notes": 120,
 *                            "paths": {"money>purchase>progress>provide>love": 40, ...},
 *                            "links": {"money>purchase": 80, ...}}}}
 *
 * "notes" counts the notes of the need; "paths" counts, per chain of rung ids
 * from the need down (a motivation reached directly is its motivation id),
 * the notes whose ladder took that chain; "links" counts rung-to-rung steps.
 * Either "paths" or "links" is enough; "links" is derived from "paths" when
 * absent. Both may also be arrays of {"path": "a>b" or ["a", "b"], "count": N}.
 */
typedef struct _FwHistory FwHistory;

/* Reads a report JSON. Fails with FW_ERROR_IO when the file cannot be read
 * and FW_ERROR_INPUT when it is not JSON or has no "needs" object; what a
 * single need lacks is reported by fw_prep_script(). */
FwHistory *fw_history_load (const char *path, GError **error);
void fw_history_free (FwHistory *history);

typedef enum {
  FW_PREP_TEXT,     /* plain text, wrapped to a width */
  FW_PREP_MARKDOWN, /* for a wiki */
  FW_PREP_HTML,     /* one self-contained printable page (XHTML-compatible) */
} FwPrepFormat;

/* "text", "markdown" (or "md"), "html"; FALSE for anything else. */
gboolean fw_prep_format_from_string (const char *name, FwPrepFormat *format);

typedef struct {
  FwPrepFormat format;
  guint width;          /* FW_PREP_TEXT: columns to wrap to; 0 means 80 */
  FwHistory *history;   /* may be NULL: branches in rule order */
} FwPrepOptions;

/* The call-prep script for @ruleset: an opening section (the customer's
 * situation and how they will measure value), then every rung in ladder
 * order (depth first, main path first, or most taken first with a
 * history) with its questions, the answers to listen for, the follow-up of
 * each branch, the value attributes and, at each motivation, how to frame
 * value; then a closing checklist. Returns a newly allocated UTF-8 string.
 * Fails with FW_ERROR_INPUT when the history lacks this need or its counts,
 * naming what is missing. Needs a compiled library. */
char *fw_prep_script (FwLibrary *library, FwRuleset *ruleset, const FwPrepOptions *options, GError **error);

/* ---- Rule graphs ------------------------------------------------------------ */

/* The rule trees of @rulesets (FwRuleset*; NULL or empty: every ruleset of
 * the library) as one Graphviz DOT digraph: a node per rung coloured by
 * level, the question asked on each edge, shared (<goto>) rungs drawn once
 * with several parents (their extra edges dashed), and the motivations in
 * one bottom rank. Newly allocated. Needs a compiled library. */
char *fw_graph_dot (FwLibrary *library, const GPtrArray *rulesets);

/* ---- Question lint ------------------------------------------------------------ */

/* Records a warning for every <ask> of every ruleset that is a closed or
 * leading question ("Do you...?", "Wouldn't you agree...") in a language the
 * lint knows (en, de), or that repeats most of the content words of a
 * question asked at its parent. Returns the number of warnings added. Needs
 * a compiled library; `fivewhys check` calls it after
 * fw_library_run_examples(). */
guint fw_library_lint_questions (FwLibrary *library);

/* ---- Reports ------------------------------------------------------------- */

/**
 * FwReport:
 *
 * The aggregate of many analyzed notes (`fivewhys analyze` records): notes
 * by need, depth distributions, motivations by need, groups (a field carried
 * through `analyze --keep`), flags, rung-to-rung links (direct and
 * indirect), full paths, and the phrases that matched no rung. It holds only
 * sums and counts, so merging two reports is adding counts: exact,
 * associative and commutative, and the JSON of `merge(report(a), report(b))`
 * equals that of `report(a ++ b)` byte for byte. Means, shares, rankings and
 * the link cut-off are derived when rendering.
 *
 * Bounds are applied per note when it is added, never when merging, so they
 * cannot break associativity: a chain holds at most FW_REPORT_MAX_DEPTH
 * rungs; of a note's unmatched phrases the first 32 count, each up to its
 * first 48 words; phrases count as word n-grams of 1 to 3 words that neither
 * start nor end with an English stop word, once per note. Counts saturate at
 * 2^53 - 1 (exact in every JSON reader), which keeps addition associative.
 */
typedef struct _FwReport FwReport;

#define FW_REPORT_MAX_DEPTH 64

/**
 * FwReportFormat:
 * @FW_REPORT_FORMAT_TEXT: aligned tables for a terminal
 * @FW_REPORT_FORMAT_JSON: the mergeable partial: one line, sorted keys, raw
 *   counts only, deterministic bytes
 * @FW_REPORT_FORMAT_HTML: a self-contained page (XHTML-compatible, charts as
 *   inline SVG, no scripts, no external assets)
 * @FW_REPORT_FORMAT_DOT: the hierarchical value map as a Graphviz digraph
 */
typedef enum {
  FW_REPORT_FORMAT_TEXT,
  FW_REPORT_FORMAT_JSON,
  FW_REPORT_FORMAT_HTML,
  FW_REPORT_FORMAT_DOT,
} FwReportFormat;

/**
 * FwReportNote:
 * One analyzed note, as fw_report_add_note() takes it. Strings are valid
 * UTF-8 and lent for the call only.
 * @ok: the note was analyzed (status "ok"); FALSE for an error record, which
 *   counts as a note and an error of its need and group, and nothing else
 * @need: the ruleset id, or NULL (counted as "(none)")
 * @depth: rungs reached from the need, at most FW_REPORT_MAX_DEPTH
 * @motivation: the motivation id reached, or NULL
 * @rungs: the chain's rung ids from the need down, NULL-terminated, at most
 *   FW_REPORT_MAX_DEPTH of them; may be NULL
 * @levels: each rung's level ("function"...), as many as @rungs; may be NULL
 * @flags: NULL-terminated; may be NULL
 * @group: the note's value of the report's group field, or NULL ("(none)")
 * @unmatched: phrases of the note that matched no rung, NULL-terminated;
 *   may be NULL
 */
typedef struct {
  gboolean ok;
  const char *need;
  guint depth;
  const char *motivation;
  const char *const *rungs;
  const char *const *levels;
  const char *const *flags;
  const char *group;
  const char *const *unmatched;
} FwReportNote;

/* What fw_report_add_line() found on a line. */
typedef enum {
  FW_REPORT_LINE_BLANK,   /* blank, or a '#' comment: nothing added */
  FW_REPORT_LINE_RECORD,  /* an analyze record, added */
  FW_REPORT_LINE_PARTIAL, /* a report partial ("fivewhys_report": 1), merged */
} FwReportLine;

/* An empty report. With @group_field ("OwnerName") notes are also counted
 * per value of that field (`fields.OwnerName` of analyze records); with
 * NULL the report has no groups. */
FwReport *fw_report_new (const char *group_field);
void fw_report_free (FwReport *report);
/* The group field, or NULL. */
const char *fw_report_get_group_field (FwReport *report);

/* Counts one note. */
void fw_report_add_note (FwReport *report, const FwReportNote *note);

/* Reads one line of input: an analyze record (a JSON object) is added, a
 * report partial (an object with "fivewhys_report": 1, as
 * fw_report_render() writes it in JSON) is merged, a blank or '#' line is
 * skipped; @kind (may be NULL) says which. A final "\n" or "\r\n" is
 * ignored; @length -1 means NUL-terminated.
 *
 * A line that is not valid UTF-8, not JSON, not an object, or not a whole
 * record or partial (a field missing or of the wrong type, a count out of
 * range) fails with FW_ERROR_INPUT and a one-line message saying what is
 * wrong ("not an analyze record: missing 'status'"); it is counted as
 * unreadable and nothing else of it is. A partial that cannot be merged
 * without losing groups fails with FW_ERROR_USAGE (see fw_report_merge())
 * and leaves the report unchanged. */
gboolean fw_report_add_line (FwReport *report, const char *line, gssize length, FwReportLine *kind,
                             GError **error);

/* Adds every count of @other to @report; @other is not changed and must not
 * be @report. Groups: when @report has no group field, @other's groups are
 * left out (the report without groups is still exact); when it has one,
 * @other must have the same, or no notes; else this fails with
 * FW_ERROR_USAGE and @report is unchanged. */
gboolean fw_report_merge (FwReport *report, FwReport *other, GError **error);

/* Analyze records counted (status ok and error), of them errors, and the
 * input lines counted unreadable (here and in the partials merged in). */
guint64 fw_report_get_n_notes (FwReport *report);
guint64 fw_report_get_n_errors (FwReport *report);
guint64 fw_report_get_n_unreadable (FwReport *report);

/* The hierarchical value map's link cut-off for @need: @min_link when it is
 * not 0, else 3% of the need's analyzed (ok) notes rounded up, at least 2. */
guint64 fw_report_get_min_link (FwReport *report, const char *need, guint min_link);

/* The report in @format, newly allocated, ending in a newline. @min_link is
 * the value map's cut-off (0: per need, as fw_report_get_min_link()); JSON
 * ignores it. */
char *fw_report_render (FwReport *report, FwReportFormat format, guint min_link);

/* ---- Practice: the engine plays the customer ------------------------------ */

/* A customer the engine plays in practice mode, loaded from a <persona>
 * file: a stated need, a hidden path down one ruleset to a motivation, the
 * customer's phrasings at each rung, a temperament and how they react to
 * bad questions. Lent by the library. */
typedef struct _FwPersona FwPersona;
/* One practice call: a persona, the trainee's questions, the scorecard. */
typedef struct _FwPractice FwPractice;

/**
 * FwQuestionClass:
 * What kind of question a trainee asked, as told by the question classes of
 * rules/questions.xml. When several classes match one question the first in
 * this order decides what the customer does: pitch, off-topic, leading,
 * open probe, summary, closed, empathy; an empathy or summary that comes
 * with an open probe or a closed question still warms the customer ("That
 * sounds stressful. What would change if...?" is an open probe with
 * warmth). A question no class matches is off-topic.
 */
typedef enum {
  FW_QUESTION_OPEN_PROBE, /* "why is that important", "tell me more" */
  FW_QUESTION_CLOSED,     /* "do you...", "is it...": yes or no, or a fact */
  FW_QUESTION_LEADING,    /* "wouldn't you agree", "so it's because..., right?" */
  FW_QUESTION_PITCH,      /* features, price, "our product", "sign today" */
  FW_QUESTION_EMPATHY,    /* "that makes sense", "I hear you" */
  FW_QUESTION_SUMMARY,    /* "so what I'm hearing is" */
  FW_QUESTION_OFF_TOPIC,  /* the weather, the game, anything else */
} FwQuestionClass;

#define FW_QUESTION_N_CLASSES 7

/* "open-probe", "closed", "leading", "pitch", "empathy", "summary",
 * "off-topic" (the ids of rules/questions.xml). */
const char *fw_question_class_to_string (FwQuestionClass klass);
gboolean fw_question_class_from_string (const char *name, FwQuestionClass *klass);

/**
 * FwTemperament:
 * How a persona takes questions. An open customer starts warm and tells
 * more as they warm up; a guarded one reveals nothing until acknowledged;
 * a busy one has little time and little patience for pitches. The numbers
 * behind each are in doc/practice.md and may be set per persona.
 */
typedef enum {
  FW_TEMPERAMENT_OPEN,
  FW_TEMPERAMENT_GUARDED,
  FW_TEMPERAMENT_BUSY,
} FwTemperament;

const char *fw_temperament_to_string (FwTemperament temperament);

/* The personas of the library, in load order (file name order). */
guint fw_library_get_n_personas (FwLibrary *library);
FwPersona *fw_library_get_persona (FwLibrary *library, guint index);
FwPersona *fw_library_find_persona (FwLibrary *library, const char *id);
/* Whether question classes are loaded for @lang (NULL: for any language):
 * practice needs them. Works before fw_library_compile() too. */
gboolean fw_library_has_questions (FwLibrary *library, const char *lang);

/* Classifies one trainee question in @lang (a ruleset's language) into
 * the class that decides what the customer does; @also (may be NULL) gets
 * the bits (1 << class) of the other classes that matched. Needs a
 * compiled library; without question classes for @lang every question is
 * off-topic. */
FwQuestionClass fw_library_classify_question (FwLibrary *library, FwScratch *scratch, const char *lang,
                                              const char *question, guint *also);

const char *fw_persona_get_id (FwPersona *persona);
const char *fw_persona_get_name (FwPersona *persona);
/* Who the customer is, for the trainer; may be NULL. */
const char *fw_persona_get_description (FwPersona *persona);
FwTemperament fw_persona_get_temperament (FwPersona *persona);
/* The id of the ruleset the persona is for ("home-loan"), loaded or not. */
const char *fw_persona_get_need (FwPersona *persona);
/* The ruleset of the persona's need; NULL when that ruleset is not loaded
 * or the path does not follow it, and then the persona cannot be
 * practised. */
FwRuleset *fw_persona_get_ruleset (FwPersona *persona);
/* The persona's opening lines ("We're looking at a mortgage."). */
const GPtrArray *fw_persona_get_openings (FwPersona *persona); /* char* */
/* The hidden ladder: rungs from the need down, the last a motivation. */
guint fw_persona_get_n_rungs (FwPersona *persona);
FwRung *fw_persona_get_rung (FwPersona *persona, guint index);

typedef enum {
  FW_PRACTICE_TALKING,     /* waiting for the trainee's next question */
  FW_PRACTICE_REACHED,     /* the customer named their motivation */
  FW_PRACTICE_LOST,        /* the customer ended the call (pitches, cold) */
  FW_PRACTICE_OUT_OF_TIME, /* the customer ran out of time */
  FW_PRACTICE_ENDED,       /* the trainee stopped asking */
} FwPracticeStatus;

/* "talking", "reached", "lost", "out-of-time", "ended". */
const char *fw_practice_status_to_string (FwPracticeStatus status);

/* One question and what the customer made of it. Pointers are lent by the
 * practice and live as long as it does. */
typedef struct {
  guint number;            /* 1-based */
  const char *question;    /* as asked, made valid UTF-8 */
  FwQuestionClass klass;   /* what the customer took it for */
  guint also;              /* bits (1 << class) of other classes that matched */
  const char *pattern;     /* the question pattern that decided, as written; NULL when none matched */
  const char *reply;       /* what the customer said */
  FwRung *const *revealed; /* rungs this reply revealed, NULL-terminated; never NULL */
  guint n_revealed;
  int warmth;              /* the customer's warmth after the turn */
  guint depth;             /* rungs of the hidden ladder revealed so far */
} FwPracticeTurn;

/* Starts a call with @persona. The same @seed gives the same opening and
 * the same replies to the same questions. @library must be compiled, have
 * question classes for the persona's language, and outlive the practice;
 * the persona must have its ruleset (fw_persona_get_ruleset). */
FwPractice *fw_practice_new (FwLibrary *library, FwPersona *persona, guint64 seed);
void fw_practice_free (FwPractice *practice);

FwPersona *fw_practice_get_persona (FwPractice *practice);
guint64 fw_practice_get_seed (FwPractice *practice);
/* What the customer said first. */
const char *fw_practice_get_opening (FwPractice *practice);
FwPracticeStatus fw_practice_get_status (FwPractice *practice);

/* Takes one trainee question: classifies it, moves the customer's warmth,
 * reveals the next rung for an open probe when the customer is warm enough
 * (two when warm), and ends the call after too many pitches, when the
 * customer turns cold, or when they run out of time. Returns the turn
 * recorded, lent; NULL once the call is over. */
const FwPracticeTurn *fw_practice_ask (FwPractice *practice, const char *question);
/* Ends the call when the trainee has no more questions. */
void fw_practice_end (FwPractice *practice);

guint fw_practice_get_n_turns (FwPractice *practice);
const FwPracticeTurn *fw_practice_get_turn (FwPractice *practice, guint index);

/* The scorecard. Depth is the number of rungs of the hidden ladder
 * revealed, out of fw_persona_get_n_rungs(). */
guint fw_practice_get_depth (FwPractice *practice);
/* Questions the customer took as @klass. */
guint fw_practice_get_count (FwPractice *practice, FwQuestionClass klass);
/* The turn of the first pitch; 0 when the trainee never pitched. */
guint fw_practice_get_first_pitch (FwPractice *practice);
/* The motivation, once it surfaced; else NULL. */
FwMotivation *fw_practice_get_motivation (FwPractice *practice);
int fw_practice_get_warmth (FwPractice *practice);
/* Questions that warmed the customer (an acknowledgement or a summary,
 * alone or with a probe), and open probes the customer held back on
 * because they were not warm enough yet. */
guint fw_practice_get_warming (FwPractice *practice);
guint fw_practice_get_holds (FwPractice *practice);
/* Two or three pieces of advice chosen by the advice rules of
 * rules/questions.xml from what happened so far, NULL-terminated; lent
 * until the next call of fw_practice_get_advice() on @practice. */
const char *const *fw_practice_get_advice (FwPractice *practice);
/* Transcript and scorecard as JSON for trainers (doc/practice.md), newly
 * allocated. */
char *fw_practice_to_json (FwPractice *practice);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwHistory, fw_history_free)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwLibrary, fw_library_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwScratch, fw_scratch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwSession, fw_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwPractice, fw_practice_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwReport, fw_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwNoteResult, fw_note_result_free)

G_END_DECLS

#endif /* FIVEWHYS_H */
