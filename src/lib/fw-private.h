/* fw-private.h: the structures behind the public types, shared by the
 * library's modules. Nothing here crosses the public API. */
#ifndef FW_PRIVATE_H
#define FW_PRIVATE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "fivewhys.h"
#include "normalize-private.h"

G_BEGIN_DECLS

/* Limits: each is named in the error that enforces it. */
#define FW_MAX_RULE_FILE_BYTES (4 * 1024 * 1024)
#define FW_MAX_RULE_DEPTH 32        /* rungs below a need */
#define FW_MAX_XML_DEPTH 64         /* element nesting in a rule file */
#define FW_MAX_RUNGS 5000           /* rungs in one library */
#define FW_MAX_FILE_RUNGS 500       /* rungs in one rule file (one ruleset) */
#define FW_MAX_FILE_PATTERNS 2000   /* patterns and regexes in one rule file */
#define FW_MAX_FILE_EXAMPLES 1000   /* examples and counterexamples in one rule file */
#define FW_MAX_TEXT_CHARS 4096      /* an attribute or element text (as the schema says) */
#define FW_MAX_ID_CHARS 64          /* an id or a reference to one (as the schema says) */
#define FW_MAX_PATTERNS 50000       /* patterns in one library */
#define FW_MAX_PATTERN_BYTES 2048   /* one pattern as written */
#define FW_MAX_REGEX_BYTES 65536    /* one pattern compiled, concepts expanded */
#define FW_MAX_GAP_WORDS 4          /* what one '*' spans */
/* The pieces of a phrase pattern's regex: pattern.c writes them, and reads
 * them back (FwPattern.slots); matcher.c makes the lazy twin of a gap. */
#define FW_REGEX_WORD_END "(?=[ \\n])"
#define FW_REGEX_GAP_REPEAT "){0," G_STRINGIFY (FW_MAX_GAP_WORDS) "}"
#define FW_REGEX_GAP "(?: [^ \\n]+" FW_REGEX_GAP_REPEAT
#define FW_MATCH_LIMIT 200000       /* PCRE2 match limit per pattern and text */
#define FW_HEAP_LIMIT_KB 8192       /* PCRE2 heap limit per match */
#define FW_DEFAULT_MAX_MISSES 3

typedef struct _FwPattern FwPattern;
typedef struct _FwPracticeRules FwPracticeRules;
typedef struct _FwWordIndex FwWordIndex;
typedef struct _FwNoteScratch FwNoteScratch;

/* Where a rule came from, for messages. */
typedef struct {
  const char *file; /* interned */
  int line;
} FwPlace;

typedef struct {
  char *text;
  FwPlace place;
} FwExample;

typedef enum {
  FW_OWNER_NEED,
  FW_OWNER_RUNG,
  FW_OWNER_MOTIVATION,
  FW_OWNER_NONANSWER,
} FwOwnerKind;

/* A compiled pattern. Phrase patterns run over the normalized text of their
 * language; raw regexes over the original text. */
/* Where a pattern applies (<pattern in="...">): answers to a why question,
 * deal notes, or both. */
typedef enum {
  FW_SCOPE_BOTH = 0,
  FW_SCOPE_ANSWERS,
  FW_SCOPE_NOTES,
} FwScope;

/* One word of a phrase pattern (FwPattern.slots): up to @gap tokens of
 * its clause may stand between it and the word before; its word is one of
 * @ids (sorted). */
typedef struct _FwSlot {
  guint gap;
  GArray *ids; /* gint32 */
} FwSlot;

struct _FwPattern {
  char *source;        /* as written */
  FwScope scope;       /* answers, notes or both */
  gboolean raw;        /* <regex> */
  char *regex;         /* the PCRE2 source compiled */
  pcre2_code *code;    /* NULL until the first run for most phrase patterns (fw_pattern_jit) */
  uint32_t options;    /* compile options of @code */
  FwPlace place;
  FwOwnerKind owner_kind;
  gpointer owner;      /* FwRuleset* (need), FwRung*, FwMotivation*, or NULL */
  const char *lang;    /* interned */
  guint index;         /* position in the library's pattern table */
  /* Required words: the pattern can only match when, for every group, the
   * text holds at least one of the group's word ids. */
  GPtrArray *required; /* GArray of gint32 */
  GArray *words;       /* every word id the pattern can match, for scoring: sorted, each once */
  GArray *forbidden;   /* word ids from !word: the clause must not hold them */
  gboolean has_negation; /* the pattern itself contains a negation cue */
  gboolean jit;          /* JIT-compiled: use pcre2_jit_match (see fw_pattern_jit) */
  gsize jit_once;        /* fw_pattern_jit has run */
  /* The word ids that can begin a match (phrase patterns), or NULL. When
   * set, @code and @lazy are compiled PCRE2_ANCHORED and the matcher tries
   * them only where one of these words stands. */
  GArray *first;
  /* Raw regexes: a literal every match contains, lower-cased ASCII, or
   * NULL; and a JIT-compiled copy of the regex for texts of ASCII only,
   * compiled without UTF and UCP, which on such a text match the same and
   * run two to twenty times faster, made by the matcher on first need
   * (ascii_state: 0 not yet, 1 made, 2 does not compile so). */
  char *literal;
  pcre2_code *ascii_code;
  gint ascii_state;
  gboolean has_gap;      /* holds a '*' gap */
  /* When the phrase regex is words in a row, each one of a set of words,
   * with bounded gaps between ("[save saving] * [time hours]", "peace of
   * mind"): the same as slots over the tokens' word ids, which the matcher
   * walks instead of running PCRE2. NULL otherwise. */
  struct _FwSlot *slots;
  guint n_slots;
  pcre2_code *lazy;      /* the same with lazy gaps (has_gap), made on first need by the
                          * matcher (lazy_state as ascii_state); interpreted */
  gint lazy_state;
  guint n_elements;    /* literal word elements, for ordering */
};

struct _FwMotivation {
  char *id;
  char *label;
  char *description;
  char *framing;
  char *avoid;
  char *schwartz;
  gboolean terminal;   /* terminal="true": ends a note's chain below another motivation (note.c) */
  GPtrArray *asks;     /* char* */
  FwPlace place;
  guint index;         /* position in the library's motivations (index.c) */
  /* per language (interned lang -> GPtrArray of FwPattern*, not owned) */
  GHashTable *patterns;
  GPtrArray *examples;        /* FwExample*, with place and lang in text */
  GPtrArray *example_langs;   /* const char* interned, parallel to examples */
  GPtrArray *counterexamples;
  GPtrArray *counterexample_langs;
};

struct _FwRung {
  char *id;
  char *label;
  FwLevel level;
  char *motivation_id;
  FwMotivation *motivation;
  char **attributes;   /* NULL-terminated value attributes */
  GPtrArray *patterns; /* FwPattern*, not owned (the library owns them) */
  GPtrArray *examples; /* FwExample* */
  GPtrArray *counterexamples;
  GPtrArray *example_texts; /* char*, lent: for the public getter */
  GPtrArray *asks;     /* char* */
  GPtrArray *children; /* FwRung*, not owned */
  GPtrArray *child_refs; /* char* ids of <goto>, resolved at compile */
  FwRung *parent;      /* the parent that defines it (NULL under the need) */
  FwRuleset *ruleset;
  FwPlace place;
  guint depth;
  gboolean is_layer;   /* stands for a motivation of the shared layer */
  gboolean referenced; /* reached from the need */
  guint index;         /* 0..library->n_all_rungs-1, layer rungs too (index.c) */
  gboolean cost;       /* value="cost": the customer measures the price here */
  /* What can evidence a path from this rung down, hashed to 64 bits: bit
   * index % 64 of every rung at or below it, bit index % 64 of every
   * motivation whose layer rung is. A note that evidences none of them
   * needs no walk below here (note.c). Set by fw_index_build. */
  guint64 below_rungs;
  guint64 below_motivations;
};

struct _FwRuleset {
  char *id;
  char *title;
  char *lang;          /* interned */
  char *description;
  char *file;
  FwPlace place;
  GPtrArray *need_patterns;   /* FwPattern*, not owned */
  GPtrArray *need_examples;   /* FwExample* */
  GPtrArray *need_counterexamples;
  GPtrArray *asks;     /* char* */
  GPtrArray *rungs;    /* children of the need, FwRung*, not owned */
  GPtrArray *root_refs; /* <goto>/<motivation> ids under the need, as in FwRung */
  GPtrArray *all_rungs; /* every rung, owned */
  GHashTable *rung_by_id; /* char* -> FwRung* */
  GHashTable *concepts;   /* char* -> char* term list, with place */
  GHashTable *concept_places; /* char* -> FwPlace* */
  GPtrArray *layer;    /* one FwRung per motivation: the shared layer here */
  guint index;         /* position in the library's rulesets (index.c) */
};

/* Text in one language: motivations, non-answers, prompts. */
typedef struct {
  const char *lang;
  GPtrArray *nonanswer_patterns; /* FwPattern*, not owned */
  GPtrArray *nonanswer_examples; /* FwExample* */
  GPtrArray *reprompts;  /* char* */
  GPtrArray *encourages; /* char* */
  GHashTable *concepts;  /* shared concepts: id -> terms */
  GHashTable *concept_places;
} FwLangLayer;

/* Pending pattern sources, compiled by fw_library_compile. */
typedef struct {
  char *source;
  gboolean raw;
  FwPlace place;
  FwOwnerKind owner_kind;
  gpointer owner;
  const char *lang;
  FwRuleset *ruleset; /* for concept lookup; NULL for the shared layer */
  FwScope scope;
} FwPatternSource;

struct _FwLibrary {
  GStringChunk *strings;       /* interned file names and langs */
  GPtrArray *rulesets;         /* FwRuleset*, owned */
  GPtrArray *motivations;      /* FwMotivation*, owned */
  GHashTable *motivation_by_id;
  GHashTable *langs;           /* interned lang -> FwLangLayer* */
  GPtrArray *pattern_sources;  /* FwPatternSource*, freed after compile */
  GPtrArray *patterns;         /* FwPattern*, owned */
  GPtrArray *diagnostics;      /* FwDiagnostic*, owned */
  GHashTable *vocabs;          /* interned lang -> FwVocab* */
  GHashTable *weights;         /* per lang: GArray of double, by word id */
  GHashTable *auxiliaries;     /* per lang: GArray of gint32 word ids of "is", "does"...:
                                * "money is not the issue" negates money */
  gboolean compiled;
  guint n_files;
  FwPracticeRules *practice;   /* personas and question classes (persona.c); NULL when none */
  /* The word index of notes (index.c), built at the end of compiling. */
  GPtrArray *indexes;          /* FwWordIndex*, owned: the main language first */
  guint n_all_rungs;           /* rungs of every ruleset, layer rungs included */
};

/* Per-thread working memory for one language. */
typedef struct {
  const char *lang;
  FwNormalizer *normalizer;
  FwDoc *doc;
  guint8 *present;   /* per word id: the prepared text holds it */
  guint n_words;
  /* Where each word stands in the prepared text, for anchored patterns:
   * head[w] is 1 + the first token holding word w (0: none), next[t] is
   * 1 + the next token holding the same word as token t (0: none). */
  guint32 *head;
  guint32 *next;
  guint next_cap;
} FwScratchLang;

/* Per-thread working memory. */
struct _FwScratch {
  FwLibrary *library;
  GHashTable *langs;       /* interned lang -> FwScratchLang* */
  FwScratchLang *current;  /* the language last prepared */
  pcre2_match_data *match_data;
  pcre2_match_context *match_context;
  pcre2_jit_stack *jit_stack;
  GString *quote;          /* evidence text */
  GArray *starts;          /* guint32 cursors over word chains, for anchored patterns (matcher.c) */
  GString *folded;         /* the text in ASCII lower case, for raw regexes' literals */
  const FwDoc *folded_doc; /* ...of the text last normalized into this doc */
  guint folded_serial;
  /* note.c and index.c: candidate marks, best hits and path memos for
   * fw_note_analyze, sized once for the library and reused for every note so
   * that analyzing a note allocates nothing; NULL until the first note. */
  FwNoteScratch *notes;
};

/* ---- diagnostics (library.c) ---- */
void fw_library_diag (FwLibrary *library, FwSeverity severity, const char *file, int line,
                      const char *format, ...) G_GNUC_PRINTF (5, 6);
FwLangLayer *fw_library_lang_layer (FwLibrary *library, const char *lang);
const char *fw_library_intern (FwLibrary *library, const char *text);
void fw_example_free (gpointer example);

/* ---- loader (loader.c) ---- */
gboolean fw_loader_load_file (FwLibrary *library, const char *path, GError **error);

/* ---- practice mode (persona.c, questions.c, practice.c) ---- */
struct _xmlNode;
/* Takes a validated <persona> or <questions> root from the loader. */
void fw_practice_load_xml (FwLibrary *library, const char *file, struct _xmlNode *root);
/* Checks persona paths and compiles question patterns; called by
 * fw_library_compile before the vocabularies freeze. */
void fw_practice_compile (FwLibrary *library);
/* Question examples and persona phrasings as tests; returns the errors. */
guint fw_practice_run_examples (FwLibrary *library, FwScratch *scratch);
void fw_practice_rules_free (FwPracticeRules *rules);

/* ---- patterns (pattern.c) ---- */
/* Compiles one phrase pattern (or raw regex) into @pattern. Concepts are
 * looked up in @concepts, then @shared_concepts. Word stems are added to
 * @vocab. Returns FALSE with FW_ERROR_PATTERN and a message that says what
 * is wrong and where (a caret line for PCRE2 errors). */
FwPattern *fw_pattern_compile (const char *source, gboolean raw, FwNormalizer *normalizer,
                               FwVocab *vocab, GHashTable *concepts, GHashTable *shared_concepts,
                               GError **error);
void fw_pattern_free (FwPattern *pattern);
/* Refuses a raw regex that backtracks catastrophically on short probe texts
 * (FW_ERROR_LIMIT with a message for the rule author). Phrase patterns
 * always pass. The library calls it for every pattern it compiles. */
gboolean fw_pattern_probe (FwPattern *pattern, GError **error);
/* Whether @pattern runs JIT-compiled, compiling it on first call. Thread-safe. */
gboolean fw_pattern_jit (FwPattern *pattern);
pcre2_code *fw_pattern_code (FwPattern *pattern);

/* ---- matching (matcher.c) ---- */
typedef struct {
  FwPattern *pattern;
  double score;
  gsize start, end;           /* original text span */
  guint first_token, last_token;
  gboolean negated;           /* matched only inside a negated clause */
  gboolean forbidden;         /* matched only in a clause with a !word */
  gboolean limit;             /* hit the PCRE2 match limit */
} FwHit;

/* Normalizes @text for @lang into the scratch's doc for that language and
 * marks the words present. Returns the doc, lent. */
FwDoc *fw_scratch_prepare (FwScratch *scratch, const char *lang, const char *text, gsize len);
/* Runs @pattern on the prepared doc (or the original text for raw
 * patterns). Fills @hit with the first match that counts and returns TRUE;
 * a match that does not count is reported in @hit with negated/forbidden
 * set and FALSE returned. Hitting the match limit sets @hit->limit and sets
 * @error. */
gboolean fw_pattern_run (FwScratch *scratch, FwPattern *pattern, FwDoc *doc, const char *text,
                         gsize len, FwHit *hit, GError **error);
/* Whether the prefilter lets @pattern through for the prepared doc. */
gboolean fw_scratch_may_match (FwScratch *scratch, FwPattern *pattern);
/* The first required word group the prepared text lacks ("'kid' or
 * 'famili'"), newly allocated; NULL when none is missing. */
char *fw_scratch_missing_words (FwScratch *scratch, FwPattern *pattern);
/* The share of @pattern's required word groups the prepared text holds. */
double fw_scratch_required_share (FwScratch *scratch, FwPattern *pattern);
double fw_hit_words (FwScratch *scratch, FwDoc *doc, const FwHit *hit, GPtrArray *words_out);

/* Best hit among @rungs (FwRung*) for the text. @bonus gives each rung's
 * score bonus in parallel (may be NULL). Returns the index of the winning
 * rung, or -1. A pattern that hits the PCRE2 limits sets @error (the
 * first such) and is skipped; the others still run. */
int fw_match_rungs (FwScratch *scratch, GPtrArray *rungs, const double *bonus, const char *lang,
                    const char *text, gsize len, FwHit *best, GError **error);
gboolean fw_match_patterns (FwScratch *scratch, GPtrArray *patterns, const char *lang,
                            const char *text, gsize len, FwHit *best, GError **error);

/* ---- the word index of notes (index.c) ---- */

/* Per word of the vocabulary, what the index knows about it besides the
 * patterns it posts to. */
enum {
  FW_WORD_PRICE = 1 << 0, /* price talk: price, discount, cheaper, fees... */
};
/* A stop word of the language in index slot 1..FW_INDEX_MAX_DETECTED. */
#define FW_WORD_STOP(slot) ((guint16) (1u << (slot)))
#define FW_INDEX_MAX_DETECTED 7 /* secondary languages told by stop words */

/* One language's index: for every word id, the patterns whose rarest
 * required group holds that word; plus the patterns no word can rule out.
 * Built once, then read-only and shared by threads. */
struct _FwWordIndex {
  const char *lang;     /* interned */
  guint slot;           /* position in library->indexes; 0 is the main language */
  FwVocab *vocab;       /* lent: the language's vocabulary */
  guint n_words;        /* vocabulary size when built; ids past it post nothing */
  guint32 *offsets;     /* n_words + 1: word w posts postings[offsets[w]..offsets[w+1]) */
  guint32 *postings;    /* pattern indexes into library->patterns */
  guint32 *always;      /* patterns with no required word, and raw regexes */
  guint n_always;
  /* The other required groups of each pattern, flat, to confirm a candidate
   * without chasing its GPtrArray of GArrays: pattern p's groups are
   * group_start[p]..group_start[p + 1], group g's words
   * group_words[word_start[g]..word_start[g + 1]]. Indexed by library
   * pattern index; empty for other languages and always-run patterns. */
  guint32 *group_start;
  guint32 *word_start;
  gint32 *group_words;
  guint16 *word_bits;   /* n_words: FW_WORD_PRICE, FW_WORD_STOP (slot) */
  gboolean detected;    /* prepared only when the main text holds its stop words */
};

/* Builds the indexes of every language that has rulesets, numbers rungs,
 * rulesets and motivations, and adds the stems of price and stop words to
 * the vocabularies. Called at the end of fw_library_compile. */
void fw_index_build (FwLibrary *library);
void fw_index_free (FwWordIndex *index);

/* What one scan of a prepared doc found. */
typedef struct {
  const guint32 *candidates; /* pattern indexes, lent by the scratch */
  guint n_candidates;
  guint stop_hits[FW_INDEX_MAX_DETECTED + 1]; /* per slot: stop words seen */
  gint last_price;           /* token index of the last price word, or -1 */
} FwIndexScan;

/* Collects into the scratch the candidate patterns of @index for @doc,
 * which fw_scratch_prepare just made for the index's language: every pattern
 * posted under one of the doc's distinct words whose other required groups
 * the doc holds too (what fw_scratch_may_match checks), and the always-run
 * ones, each once. Allocates nothing once the scratch has seen the library. */
void fw_index_scan (FwScratch *scratch, FwWordIndex *index, FwDoc *doc, FwIndexScan *scan);

/* The best path below one rung, for one note (note.c). */
typedef struct {
  gint16 evidenced;      /* evidenced rungs on the path, this one included if counted */
  gint16 reach;          /* steps from this rung to the last of them; -1: none */
  FwLevel last_level;    /* the level of the last of them */
  double score;          /* summed scores of the evidence on the path */
  const FwHit *evidence; /* this rung's hit counted on the path, or NULL */
  FwRung *next;          /* the child the path goes on through; NULL where it ends */
  gsize first_start;     /* the first counted evidence on the path, for overlaps */
  gsize first_end;
} FwPathMemo;

/* Per-thread working memory of fw_note_analyze: everything is sized for the
 * library on first use and reused, and a mark equal to @generation means
 * "set for this note", so nothing is cleared between notes. */
struct _FwNoteScratch {
  guint32 generation;
  /* index.c */
  guint32 *pattern_mark;    /* per pattern: already a candidate */
  guint32 *candidates;      /* pattern indexes, room for every pattern */
  guint n_candidates;
  guint32 **word_mark;      /* per index slot, per word id: already walked */
  /* note.c */
  guint32 *rung_mark;       /* per rung (FwRung.index): rung_hit is live */
  FwHit *rung_hit;          /* the rung's best counted hit */
  guint32 *rung_alt_mark;   /* per rung: rung_alt is live */
  FwHit *rung_alt;          /* its best hit elsewhere in the note (no overlap) */
  guint32 *need_mark;       /* per ruleset (FwRuleset.index) */
  FwHit *need_hit;
  gsize *need_first;        /* per ruleset: where its need is first stated (need_mark says when set) */
  guint32 *motivation_mark; /* per motivation (FwMotivation.index) */
  FwHit *motivation_hit;
  guint32 *motivation_alt_mark;
  FwHit *motivation_alt;
  GArray *need_spans;       /* gsize start, end of every need hit of the note */
  guint32 *memo_mark;       /* per rung: memo is live */
  FwPathMemo *memo;
  GArray *touched;          /* guint ruleset indexes with evidence */
  GByteArray *covered;      /* per clause of the main doc: some hit lies in it */
  guint64 evidenced_rungs;       /* bits of the rungs with a hit in this note (FwRung.below_rungs) */
  guint64 evidenced_motivations; /* bits of the motivations with one */
};

/* Frees scratch->notes (called by fw_scratch_free). */
void fw_note_scratch_free (FwNoteScratch *notes);
/* scratch->notes, made on first use. */
FwNoteScratch *fw_note_scratch_get (FwScratch *scratch);

G_END_DECLS

#endif
