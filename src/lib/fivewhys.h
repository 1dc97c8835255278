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
/* Takes one answer and moves the ladder. Returns the step recorded, lent. */
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwLibrary, fw_library_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwScratch, fw_scratch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwSession, fw_session_free)

G_END_DECLS

#endif /* FIVEWHYS_H */
