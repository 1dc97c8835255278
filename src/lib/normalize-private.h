/* normalize-private.h: one pass from free text to stemmed tokens.
 *
 * The normalized text ("norm") is what phrase patterns are matched against:
 * every token is written as " " STEM (a leading space), a soft break
 * (comma, "but", a dash) is written as the token " ,", and every clause ends
 * with "\n". Example, for lang "en":
 *
 *   "We're not sure. It's for the kids, mostly!"
 *   norm: " we are not sure\n it is for the kid , most\n"
 *
 * so that a pattern word is " stem(?=[ \n])" and a gap of up to four words
 * is "(?: [^ \n]+){0,4}". Each token maps back to its byte span in the
 * original text; tokens produced by expanding one contraction ("don't" ->
 * "do" "not") share the span of the original word.
 */
#ifndef FW_NORMALIZE_PRIVATE_H
#define FW_NORMALIZE_PRIVATE_H

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FW_TOKEN_WORD = 0,       /* an ordinary word */
  FW_TOKEN_SOFT_BREAK = 1, /* ",", "but", a dash: ends a negation scope */
} FwTokenKind;

typedef struct {
  guint32 norm_start; /* offset of the stem in norm (after its space) */
  guint32 norm_end;   /* offset just past the stem */
  guint32 start;      /* byte span in the original text */
  guint32 end;
  gint32 word;        /* id in the vocabulary, or -1 when not in it */
  guint32 clause;     /* 0-based clause number */
  guint8 kind;        /* FwTokenKind */
  guint8 negation;    /* 1 when the token is a negation cue (not, no, never...) */
} FwToken;

typedef struct {
  GString *norm;     /* the normalized text */
  GArray *tokens;    /* FwToken, in text order */
  guint n_clauses;
  gboolean ascii;    /* the text held no byte past 0x7F (so, valid UTF-8) */
  guint serial;      /* changes with every text normalized into this doc */
} FwDoc;

/* The vocabulary: every stem that some pattern mentions, with an id.
 * Built while compiling, frozen afterwards and then shared read-only. */
typedef struct {
  GHashTable *ids; /* char *stem -> GINT_TO_POINTER (id + 1) */
  GPtrArray *stems; /* id -> char *stem */
  /* Built by fw_vocab_freeze: every stem with one character deleted ->
   * id + 1, or -1 when two stems share the deletion. For typos. */
  GHashTable *deletions;
  /* While compiling (freed by fw_vocab_freeze): the words of a text that
   * patterns and concepts name, as written -> FwPhraseWords. A concept's
   * terms are in every pattern that names it: they are normalized once. */
  GHashTable *phrases;
} FwVocab;

/* The words of a text in a pattern (see FwVocab.phrases). */
typedef struct {
  GArray *ids;  /* guint32: word id, with FW_VOCAB_NEGATION when a negation cue */
  char *regex;  /* " stem1 stem2(?=[ \n])" as the pattern compiler writes it, or "" */
} FwPhraseWords;

#define FW_VOCAB_NEGATION 0x80000000u

void fw_phrase_words_free (FwPhraseWords *words);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FwPhraseWords, fw_phrase_words_free)

FwVocab *fw_vocab_new (void);
void fw_vocab_free (FwVocab *vocab);
/* The id of @stem, adding it when @add is TRUE; -1 when absent. */
gint32 fw_vocab_lookup (FwVocab *vocab, const char *stem, gboolean add);

/* Ends the vocabulary's growth and builds its typo index. A normalizer
 * whose vocabulary is frozen maps a word it does not know, of five letters
 * or more, to the one known stem it is a typo of ("moeny" -> money,
 * "mortage" -> mortgag): one letter inserted or dropped, two swapped, or,
 * in words of seven letters or more, one replaced. */
void fw_vocab_freeze (FwVocab *vocab);
/* The id of the known stem @word is a typo of, or -1. */
gint32 fw_vocab_correct (FwVocab *vocab, const char *word, gsize len);

typedef struct _FwNormalizer FwNormalizer;

/* A normalizer for a Snowball language ("en", "english", "de", "german",
 * "es"...). Returns NULL with FW_ERROR_RULE when libstemmer does not know
 * the language. @vocab may be NULL (every token gets word -1) and is lent.
 * A normalizer keeps a bounded cache from surface form to stem and id, and
 * belongs to one thread. */
FwNormalizer *fw_normalizer_new (const char *lang, FwVocab *vocab, GError **error);
void fw_normalizer_free (FwNormalizer *normalizer);

FwDoc *fw_doc_new (void);
void fw_doc_free (FwDoc *doc);
void fw_doc_clear (FwDoc *doc);

/* Normalizes @len bytes of @text into @doc (cleared first). Never fails:
 * invalid UTF-8 bytes and NULs are treated as spaces; a text with no words
 * gives a doc with no tokens. Linear in @len. */
void fw_normalize (FwNormalizer *normalizer, const char *text, gsize len, FwDoc *doc);

/* Case-folds and stems one word (which may expand into several words, as
 * "don't" does) and appends the stems to @out. Used to compile pattern
 * words the same way answers are normalized. */
void fw_normalizer_stem_words (FwNormalizer *normalizer, const char *word, GPtrArray *out);

/* The index of the token whose norm span contains @norm_offset, or the first
 * token starting at or after it. Binary search. */
guint fw_doc_token_at (FwDoc *doc, gsize norm_offset);

G_END_DECLS

#endif
