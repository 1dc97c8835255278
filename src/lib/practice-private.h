/* practice-private.h: what persona.c, questions.c and practice.c share.
 *
 * Practice mode turns the drill around: the engine plays a customer (a
 * persona, loaded from a <persona> file) with a hidden ladder down one
 * ruleset, and the trainee asks the questions, which are classified by the
 * question classes of a <questions> file. Both kinds of file are loaded by
 * the rule loader (loader.c hands their root element to
 * fw_practice_load_xml) and checked when the library compiles.
 */
#ifndef FW_PRACTICE_PRIVATE_H
#define FW_PRACTICE_PRIVATE_H

#include "fw-private.h"

G_BEGIN_DECLS

/* What the customer may say back, besides the rungs of the ladder. The
 * order is that of the schema's <reply to="..."> values. */
typedef enum {
  FW_REPLY_CLOSED,    /* a short non-committal answer to a closed question */
  FW_REPLY_LEADING,   /* a guarded answer to a leading question */
  FW_REPLY_PITCH,     /* cooler: the customer was pitched to */
  FW_REPLY_HANGUP,    /* the customer ends the call */
  FW_REPLY_EMPATHY,   /* warmer: the trainee acknowledged them */
  FW_REPLY_SUMMARY,   /* warmer: the trainee summed up what they heard */
  FW_REPLY_OFF_TOPIC, /* the trainee talked about something else */
  FW_REPLY_HOLD,      /* an open probe, but the customer is not warm enough yet */
  FW_REPLY_TIMEOUT,   /* the customer has run out of time */
} FwReplyKind;

#define FW_REPLY_N 9

const char *fw_reply_kind_to_string (FwReplyKind kind);
gboolean fw_reply_kind_from_string (const char *name, FwReplyKind *kind);

/* Warmth thresholds and patience: the temperament's defaults, overridden
 * by the persona's <warmth> attributes. */
typedef struct {
  int start;        /* warmth when the call begins */
  int reveal;       /* an open probe reveals a rung from this warmth up */
  int open_up;      /* ... and two rungs from this warmth up */
  int leave;        /* at or below this warmth the customer ends the call */
  guint pitches;    /* the customer ends the call at this many pitches */
  guint turns;      /* ... and runs out of time after this many questions */
} FwWarmth;

#define FW_WARMTH_MAX 5  /* warming stops here */
#define FW_WARMTH_MIN -10

/* One rung of a persona's hidden ladder with the customer's phrasings. */
typedef struct {
  char *rung_id;
  FwRung *rung;     /* resolved when the library compiles; NULL until then */
  GPtrArray *says;  /* FwExample*: the customer's answers revealing it */
  FwPlace place;
} FwPersonaStep;

struct _FwPersona {
  char *id;
  char *need_id;       /* the ruleset id */
  char *name;
  char *description;
  FwTemperament temperament;
  FwRuleset *ruleset;  /* resolved when the library compiles */
  GPtrArray *openings; /* char* */
  GPtrArray *steps;    /* FwPersonaStep* */
  GPtrArray *replies[FW_REPLY_N]; /* char* */
  FwWarmth warmth;
  gboolean path_ok;    /* the path was checked against the ruleset */
  FwPlace place;
};

/* A class of questions in one language. */
typedef struct {
  gboolean defined;
  char *label;
  int warmth;             /* what a question of this class does to the customer */
  char *description;
  GPtrArray *sources;     /* FwPatternSource*, until compiled */
  GPtrArray *patterns;    /* FwPattern*, owned (not in the library's table) */
  GPtrArray *examples;    /* FwExample* */
  GPtrArray *counterexamples;
  FwPlace place;
} FwQuestionClassDef;

/* One condition of an advice: min <= counter <= max. */
typedef struct {
  guint counter;          /* FwPracticeCounter */
  gboolean has_min, has_max;
  int min, max;
} FwAdviceWhen;

typedef struct {
  char *id;
  GArray *when;           /* FwAdviceWhen */
  char *text;             /* may hold {counter} placeholders */
  FwPlace place;
} FwAdvice;

/* The question classes, replies and advice of one language. Several
 * <questions> files of the same language add to one FwQuestions. */
typedef struct {
  const char *lang;       /* interned */
  FwPlace place;          /* the first file */
  GHashTable *concepts;   /* id -> terms, for ~concept in class patterns */
  GHashTable *concept_places;
  FwQuestionClassDef classes[FW_QUESTION_N_CLASSES];
  GPtrArray *replies[FW_REPLY_N]; /* char*: defaults for every persona */
  GPtrArray *advice;      /* FwAdvice*, in file order: the first that apply win */
} FwQuestions;

/* Everything practice mode keeps in a library (library->practice). */
struct _FwPracticeRules {
  GPtrArray *personas;        /* FwPersona*, owned, in load order */
  GHashTable *persona_by_id;
  GHashTable *questions;      /* interned lang -> FwQuestions* */
};

/* The counters advice rules test, in the order of the schema. */
typedef enum {
  FW_COUNTER_TURNS,
  FW_COUNTER_OPEN_PROBE,
  FW_COUNTER_CLOSED,
  FW_COUNTER_LEADING,
  FW_COUNTER_PITCH,
  FW_COUNTER_EMPATHY,     /* questions that held one, decisive or alongside a probe */
  FW_COUNTER_SUMMARY,
  FW_COUNTER_OFF_TOPIC,
  FW_COUNTER_WARMING,     /* turns that warmed the customer, alone or with a question */
  FW_COUNTER_HOLDS,       /* open probes the customer held back on */
  FW_COUNTER_DEPTH,
  FW_COUNTER_LADDER,
  FW_COUNTER_LEFT,        /* rungs of the ladder not revealed */
  FW_COUNTER_FIRST_PITCH, /* turn of the first pitch, 0 when none */
  FW_COUNTER_MOTIVATION,  /* 1 when the motivation surfaced */
  FW_COUNTER_LOST,        /* 1 when the customer ended the call */
  FW_COUNTER_OUT_OF_TIME, /* 1 when the customer ran out of time */
  FW_COUNTER_WARMTH,
  FW_COUNTER_OPEN_SHARE,  /* open probes per 100 questions */
  FW_COUNTER_CLOSED_RUN,  /* the longest run of closed questions */
} FwPracticeCounter;

#define FW_COUNTER_N 20

const char *fw_practice_counter_to_string (guint counter);

/* ---- persona.c ---- */
/* The library's practice rules, made on first use. */
FwPracticeRules *fw_practice_rules_get (FwLibrary *library);
void fw_persona_load (FwLibrary *library, const char *file, struct _xmlNode *root);
void fw_persona_free (gpointer persona);
/* Resolves the persona's ruleset and checks its path (errors at the step). */
void fw_persona_check (FwLibrary *library, FwPersona *persona);
/* Warns about phrasings `ask` would not take for their rung; returns 0. */
guint fw_persona_run_examples (FwLibrary *library, FwPersona *persona);

/* Shared XML helpers: the element's text with white space folded, an
 * attribute trimmed (NULL when absent), the node's place. */
char *fw_practice_xml_text (struct _xmlNode *node);
char *fw_practice_xml_attr (struct _xmlNode *node, const char *name);
FwPlace fw_practice_xml_place (const char *file, struct _xmlNode *node);
gboolean fw_practice_xml_is (struct _xmlNode *node, const char *name);

/* The class a question is, with the other classes that matched (bits
 * 1 << class) and the pattern that decided (questions.c). */
typedef struct {
  FwQuestionClass klass;
  guint also;
  FwPattern *pattern;     /* NULL when no pattern matched (off-topic by default) */
  gsize start, end;       /* evidence of @pattern in the question */
} FwClassified;

/* ---- questions.c ---- */
/* The question classes of @lang; made empty when @create is TRUE and there
 * are none yet. Looking up (@create FALSE) changes nothing. */
FwQuestions *fw_questions_get (FwLibrary *library, const char *lang, gboolean create);
void fw_questions_load (FwLibrary *library, const char *file, struct _xmlNode *root);
void fw_questions_free (gpointer questions);
void fw_questions_compile (FwLibrary *library, FwQuestions *questions);
guint fw_questions_run_examples (FwLibrary *library, FwScratch *scratch, FwQuestions *questions);
/* Classifies @text (valid UTF-8) with @questions (NULL: off-topic). */
void fw_questions_classify (FwQuestions *questions, FwScratch *scratch, const char *text, FwClassified *out);

G_END_DECLS

#endif
