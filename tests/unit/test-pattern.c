/* test-pattern.c: the phrase-pattern compiler.
 *
 * Each case compiles one pattern as a rule author writes it and runs the
 * compiled regex over an answer normalized the way the matcher normalizes
 * it, so that a case reads "this pattern matches that answer". Negation and
 * forbidden words are decided by the matcher (test-matcher.c); here a
 * pattern with !word only records the word. Errors are asserted with their
 * exact message.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fivewhys.h"
#include "fw-private.h"

/* ---- Fixture ------------------------------------------------------------------- */

typedef struct
{
  FwVocab *vocab;
  FwNormalizer *normalizer;
  GHashTable *concepts; /* the ruleset's: id -> terms */
  GHashTable *shared;   /* the motivation layer's */
  FwDoc *doc;
  pcre2_match_data *match_data;
  FwPattern *pattern; /* the last one compiled; freed at teardown */
  GError *error;      /* the last compile error */
  char *text;         /* the last text asserted on */
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  GError *error = NULL;
  f->vocab = fw_vocab_new ();
  f->normalizer = fw_normalizer_new ("en", f->vocab, &error);
  assert_null (error);
  assert_non_null (f->normalizer);
  f->concepts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->shared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (f->concepts, g_strdup ("money"), g_strdup ("money, cash, the deposit"));
  g_hash_table_insert (f->concepts, g_strdup ("funds"), g_strdup ("~money, savings"));
  g_hash_table_insert (f->concepts, g_strdup ("loop"), g_strdup ("~loop, again"));
  g_hash_table_insert (f->concepts, g_strdup ("kids"), g_strdup ("nippers"));
  g_hash_table_insert (f->concepts, g_strdup ("dots"), g_strdup ("cash, ..."));
  g_hash_table_insert (f->concepts, g_strdup ("blank"), g_strdup (" , ,"));
  g_hash_table_insert (f->shared, g_strdup ("family"), g_strdup ("family, kids, my wife"));
  g_hash_table_insert (f->shared, g_strdup ("kids"), g_strdup ("kids, children"));
  f->doc = fw_doc_new ();
  f->match_data = pcre2_match_data_create (1, NULL);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  fw_pattern_free (f->pattern);
  g_clear_error (&f->error);
  g_free (f->text);
  pcre2_match_data_free (f->match_data);
  fw_doc_free (f->doc);
  g_hash_table_unref (f->concepts);
  g_hash_table_unref (f->shared);
  fw_normalizer_free (f->normalizer);
  fw_vocab_free (f->vocab);
  g_free (f);
  return 0;
}

/* Compiles @source (a raw regex when @raw); returns NULL with f->error set
 * when it does not compile. */
static FwPattern *
try_compile (Fixture *f, const char *source, gboolean raw)
{
  fw_pattern_free (f->pattern);
  g_clear_error (&f->error);
  f->pattern = fw_pattern_compile (source, raw, f->normalizer, f->vocab, f->concepts, f->shared, &f->error);
  return f->pattern;
}

static FwPattern *
compile (Fixture *f, const char *source)
{
  if (try_compile (f, source, FALSE) == NULL)
    fail_msg ("'%s' does not compile: %s", source, f->error->message);
  assert_null (f->error);
  return f->pattern;
}

/* The part of the normalized @text the compiled pattern matches, or NULL. */
static const char *
match_norm (Fixture *f, const char *text)
{
  fw_normalize (f->normalizer, text, strlen (text), f->doc);
  /* Phrase patterns are anchored: tried at each word, as the matcher does
   * (it tries only the words the pattern can begin with). */
  int rc = PCRE2_ERROR_NOMATCH;
  for (gsize at = 0; at < f->doc->norm->len && rc == PCRE2_ERROR_NOMATCH; at++)
    if (f->doc->norm->str[at] == ' ')
      rc = pcre2_match (fw_pattern_code (f->pattern), (PCRE2_SPTR)f->doc->norm->str, f->doc->norm->len, at, PCRE2_NO_JIT,
                        f->match_data, NULL);
  if (rc == PCRE2_ERROR_NOMATCH)
    return NULL;
  assert_true (rc > 0);
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer (f->match_data);
  g_free (f->text);
  f->text = g_strndup (f->doc->norm->str + ov[0], ov[1] - ov[0]);
  return f->text;
}

static gboolean
matches (Fixture *f, const char *source, const char *text)
{
  compile (f, source);
  return match_norm (f, text) != NULL;
}

#define assert_matches(f, source, text)                                                                                \
  do                                                                                                                   \
    {                                                                                                                  \
      if (!matches (f, source, text))                                                                                  \
        fail_msg ("'%s' does not match \"%s\" (regex %s, norm \"%s\")", source, text, f->pattern->regex,               \
                  f->doc->norm->str);                                                                                  \
    }                                                                                                                  \
  while (0)

#define assert_no_match(f, source, text)                                                                               \
  do                                                                                                                   \
    {                                                                                                                  \
      if (matches (f, source, text))                                                                                   \
        fail_msg ("'%s' matches \"%s\" (regex %s, norm \"%s\")", source, text, f->pattern->regex, f->doc->norm->str);  \
    }                                                                                                                  \
  while (0)

/* Compiling @source fails with @code and exactly @message. */
static void
assert_compile_error (Fixture *f, const char *source, gboolean raw, int code, const char *message)
{
  if (try_compile (f, source, raw) != NULL)
    fail_msg ("'%s' compiles (regex %s)", source, f->pattern->regex);
  assert_non_null (f->error);
  assert_int_equal (f->error->domain, FW_ERROR);
  assert_int_equal (f->error->code, code);
  assert_string_equal (f->error->message, message);
}

/* The stems of a word-id list, space separated, in list order. */
static const char *
stems_of (Fixture *f, GArray *ids)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < ids->len; i++)
    {
      gint32 id = g_array_index (ids, gint32, i);
      g_string_append_printf (out, "%s%s", i > 0 ? " " : "", (char *)g_ptr_array_index (f->vocab->stems, id));
    }
  g_free (f->text);
  f->text = g_string_free (out, FALSE);
  return f->text;
}

/* The required word groups as "need | money cash the". */
static const char *
required_of (Fixture *f)
{
  GString *out = g_string_new (NULL);
  for (guint g = 0; g < f->pattern->required->len; g++)
    {
      GArray *group = g_ptr_array_index (f->pattern->required, g);
      if (g > 0)
        g_string_append (out, " | ");
      for (guint i = 0; i < group->len; i++)
        g_string_append_printf (out, "%s%s", i > 0 ? " " : "",
                                (char *)g_ptr_array_index (f->vocab->stems, g_array_index (group, gint32, i)));
    }
  g_free (f->text);
  f->text = g_string_free (out, FALSE);
  return f->text;
}

/* ---- Words ------------------------------------------------------------------------ */

static void
test_word_matches_any_case (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "mortgage", "We need a MORTGAGE");
  assert_matches (f, "Mortgage", "a mortgage");
}

static void
test_word_matches_regular_inflections (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "buy", "we are buying");
  assert_matches (f, "buy", "she buys");
  assert_matches (f, "mortgage", "two mortgages");
  assert_matches (f, "buying", "to buy a house");
}

static void
test_irregular_forms_are_other_words (void **state)
{
  Fixture *f = *state;
  assert_no_match (f, "buy", "we bought it");
  assert_matches (f, "[buy bought]", "we bought it");
}

static void
test_word_matches_whole_words_only (void **state)
{
  Fixture *f = *state;
  assert_no_match (f, "car", "a new carpet");
  assert_no_match (f, "car", "no scars");
  assert_matches (f, "car", "the car, mostly");
}

static void
test_words_in_a_row_must_be_adjacent (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "home loan", "a home loan please");
  assert_no_match (f, "home loan", "a home equity loan");
  assert_no_match (f, "home loan", "a loan for a home");
}

static void
test_contraction_in_a_pattern_matches_both_spellings (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "don't want", "I don't want to rent");
  assert_matches (f, "don't want", "I do not want to rent");
  assert_matches (f, "do not want", "I don't want to rent");
}

static void
test_punctuation_in_a_word_is_not_regex_syntax (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "(money)", "the money");
  assert_no_match (f, "(money)", "the mon");
}

/* ---- Concepts ------------------------------------------------------------------------- */

static void
test_concept_matches_any_of_its_terms (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "need ~money", "we need cash");
  assert_matches (f, "need ~money", "we need money");
  assert_no_match (f, "need ~money", "we need help");
}

static void
test_concept_term_of_several_words_matches_as_a_phrase (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "need ~money", "we need the deposit");
  assert_no_match (f, "need ~money", "we need deposit");
}

static void
test_shared_concept_is_found_when_the_ruleset_lacks_it (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "for ~family", "it is for my wife");
  assert_matches (f, "for ~family", "all for family");
  assert_no_match (f, "for ~family", "for the family");
}

static void
test_ruleset_concept_hides_a_shared_one_of_the_same_name (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "~kids", "the nippers");
  assert_no_match (f, "~kids", "the children");
}

static void
test_concept_may_name_another_concept (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "~funds", "our savings");
  assert_matches (f, "~funds", "some cash");
}

static void
test_concept_naming_itself_is_an_error_not_a_hang (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "~loop", FALSE, FW_ERROR_PATTERN, "concept '~loop' nests concepts more than 4 deep");
}

static void
test_unknown_concept_is_an_error (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "need ~mony", FALSE, FW_ERROR_PATTERN,
                        "unknown concept '~mony' in pattern 'need ~mony': define it with <concept id=\"mony\">");
}

/* ---- [a b], {opt}, quotes --------------------------------------------------------------- */

static void
test_brackets_match_any_one_item (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "[home house] loan", "a house loan");
  assert_matches (f, "[home house] loan", "a home loan");
  assert_no_match (f, "[home house] loan", "a car loan");
}

static void
test_bracket_items_may_be_concepts_and_phrases (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "[~money \"a roof\"] now", "a roof now");
  assert_matches (f, "[~money \"a roof\"] now", "the deposit now");
  assert_no_match (f, "[~money \"a roof\"] now", "roof now");
}

static void
test_quoted_phrase_matches_its_words_in_a_row (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "[\"no one\" nobody] cares", "no one cares");
  assert_matches (f, "[\"no one\" nobody] cares", "nobody cares");
  assert_no_match (f, "[\"no one\" nobody] cares", "no, one cares");
}

static void
test_braces_make_a_word_optional (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "{first} home", "our home");
  compile (f, "{first} home");
  assert_string_equal (match_norm (f, "our first home"), " first home");
}

static void
test_braces_may_hold_several_words_or_brackets (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "{brand new} bike", "a bike");
  compile (f, "{brand new} bike");
  assert_string_equal (match_norm (f, "a brand new bike"), " brand new bike");
  /* Half the optional phrase is no phrase: only "bike" matches. */
  assert_string_equal (match_norm (f, "a brand bike"), " bike");
  assert_matches (f, "{[big small]} house", "a small house");
  assert_matches (f, "{[big small]} house", "a house");
}

/* ---- * gaps ----------------------------------------------------------------------------- */

static void
test_gap_spans_zero_to_four_words (void **state)
{
  Fixture *f = *state;
  assert_matches (f, "need * money", "we need money");
  assert_matches (f, "need * money", "we need some money");
  assert_matches (f, "need * money", "we need lots and lots of money");
}

static void
test_gap_never_spans_five_words (void **state)
{
  Fixture *f = *state;
  assert_no_match (f, "need * money", "we need lots and lots and lots of money");
}

static void
test_gap_stays_inside_one_clause (void **state)
{
  Fixture *f = *state;
  assert_no_match (f, "need * money", "what we need. Money is tight");
  assert_no_match (f, "need * money", "what we need!\nmoney is tight");
}

static void
test_gap_must_stand_between_two_items (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "* money", FALSE, FW_ERROR_PATTERN,
                        "a gap '*' must stand between two words in pattern '* money'");
  assert_compile_error (f, "need *", FALSE, FW_ERROR_PATTERN,
                        "a gap '*' must stand between two words in pattern 'need *'");
  assert_compile_error (f, "need * * money", FALSE, FW_ERROR_PATTERN,
                        "a gap '*' must stand between two words in pattern 'need * * money'");
}

/* ---- !word ------------------------------------------------------------------------------ */

static void
test_forbidden_word_is_recorded_and_not_matched (void **state)
{
  Fixture *f = *state;
  compile (f, "money !rent");
  assert_string_equal (stems_of (f, f->pattern->forbidden), "rent");
  /* It is not a word the pattern matches, so it does not score. */
  assert_string_equal (stems_of (f, f->pattern->words), "money");
  assert_string_equal (required_of (f), "money");
  /* The regex itself does not look for it: the matcher checks the clause. */
  assert_string_equal (match_norm (f, "money for the rent"), " money");
}

static void
test_forbidden_may_be_a_bracket_or_a_concept (void **state)
{
  Fixture *f = *state;
  compile (f, "loan ![car ute]");
  assert_string_equal (stems_of (f, f->pattern->forbidden), "car ute");
  compile (f, "loan !~kids");
  assert_string_equal (stems_of (f, f->pattern->forbidden), "nipper");
}

static void
test_forbidden_alone_is_no_pattern (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "!rent", FALSE, FW_ERROR_PATTERN, "pattern '!rent' has no words to match");
  assert_compile_error (f, "rent ! money", FALSE, FW_ERROR_PATTERN,
                        "'!' must be followed by a word in pattern 'rent ! money'");
}

/* ---- What a compiled pattern knows -------------------------------------------------------- */

static void
test_required_words_are_one_group_per_item (void **state)
{
  Fixture *f = *state;
  compile (f, "need * ~money");
  /* A multi-word term is required by its first word. */
  assert_string_equal (required_of (f), "need | money cash the");
  compile (f, "[home house] loan");
  assert_string_equal (required_of (f), "home hous | loan");
}

/* The matcher tries a phrase pattern only where one of these words stands,
 * anchored there. */
static void
test_pattern_knows_the_words_it_can_begin_with (void **state)
{
  Fixture *f = *state;
  compile (f, "need * ~money");
  assert_string_equal (stems_of (f, f->pattern->first), "need");
  compile (f, "~money * need");
  assert_string_equal (stems_of (f, f->pattern->first), "money cash the");
  compile (f, "[home house \"our own\"] loan");
  assert_string_equal (stems_of (f, f->pattern->first), "home hous our");
  assert_true (matches (f, "[home house] loan", "and then we talked about a house loan"));
  try_compile (f, "\\bloan", TRUE);
  assert_null (f->pattern->first);
}

static void
test_optional_words_are_not_required (void **state)
{
  Fixture *f = *state;
  compile (f, "{first} home");
  assert_string_equal (required_of (f), "home");
  assert_string_equal (stems_of (f, f->pattern->words), "first home");
}

static void
test_every_word_of_a_phrase_is_required (void **state)
{
  Fixture *f = *state;
  compile (f, "\"peace of mind\"");
  assert_string_equal (required_of (f), "peac | of | mind");
}

static void
test_pattern_with_a_negation_cue_is_marked (void **state)
{
  Fixture *f = *state;
  compile (f, "not * afford");
  assert_true (f->pattern->has_negation);
  compile (f, "afford");
  assert_false (f->pattern->has_negation);
}

/* ---- Syntax errors ------------------------------------------------------------------------- */

static void
test_unbalanced_brackets_are_errors (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "[home house loan", FALSE, FW_ERROR_PATTERN, "missing ']' in pattern '[home house loan'");
  assert_compile_error (f, "home] loan", FALSE, FW_ERROR_PATTERN, "unbalanced ']' at column 5 of pattern 'home] loan'");
  assert_compile_error (f, "{first home", FALSE, FW_ERROR_PATTERN, "missing '}' in pattern '{first home'");
  assert_compile_error (f, "first} home", FALSE, FW_ERROR_PATTERN,
                        "unbalanced '}' at column 6 of pattern 'first} home'");
}

static void
test_empty_groups_are_errors (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "home [] loan", FALSE, FW_ERROR_PATTERN, "empty '[]' in pattern 'home [] loan'");
  assert_compile_error (f, "home {} loan", FALSE, FW_ERROR_PATTERN, "empty '{}' in pattern 'home {} loan'");
  assert_compile_error (f, "", FALSE, FW_ERROR_PATTERN, "pattern '' has no words to match");
}

static void
test_unterminated_quote_is_an_error (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "\"peace of mind", FALSE, FW_ERROR_PATTERN,
                        "unterminated quote in pattern '\"peace of mind'");
}

static void
test_tilde_needs_a_concept_name (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "need ~ money", FALSE, FW_ERROR_PATTERN,
                        "'~' must be followed by a concept name in pattern 'need ~ money'");
}

static void
test_empty_quoted_phrase_is_an_error (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "need \"\" money", FALSE, FW_ERROR_PATTERN,
                        "empty quoted phrase in pattern 'need \"\" money'");
  assert_compile_error (f, "[home \"...\"]", FALSE, FW_ERROR_PATTERN,
                        "empty quoted phrase in pattern '[home \"...\"]'");
}

/* Inside [...] only words, "phrases" and ~concepts may stand: the message
 * points at the column of what does not belong there. */
static void
test_stray_syntax_in_brackets_is_an_error_at_its_column (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "[home {house}] loan", FALSE, FW_ERROR_PATTERN,
                        "unexpected '{' at column 7 of pattern '[home {house}] loan'");
  assert_compile_error (f, "need [money *]", FALSE, FW_ERROR_PATTERN,
                        "unexpected '*' at column 13 of pattern 'need [money *]'");
  assert_compile_error (f, "[home !rent]", FALSE, FW_ERROR_PATTERN,
                        "unexpected '!' at column 7 of pattern '[home !rent]'");
  assert_compile_error (f, "need !*", FALSE, FW_ERROR_PATTERN, "unexpected '*' at column 7 of pattern 'need !*'");
}

/* A concept is checked where a pattern uses it: a term without words, or
 * no terms at all, is named, not silently matched as nothing. */
static void
test_concept_without_words_is_an_error (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "need ~dots", FALSE, FW_ERROR_PATTERN, "concept '~dots' has a term with no words: '...'");
  assert_compile_error (f, "need ~blank", FALSE, FW_ERROR_PATTERN, "concept '~blank' has no terms");
  /* a concept whose terms all have words is unaffected */
  assert_matches (f, "need ~money", "we need cash");
}

static void
test_item_without_words_is_an_error (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "need ... money", FALSE, FW_ERROR_PATTERN,
                        "'...' in pattern 'need ... money' holds no word a customer could say");
}

static void
test_pattern_over_the_length_limit_is_refused (void **state)
{
  Fixture *f = *state;
  GString *big = g_string_new (NULL);
  while (big->len <= FW_MAX_PATTERN_BYTES)
    g_string_append (big, "money ");
  g_free (f->text);
  f->text = g_string_free (big, FALSE);
  char *source = g_strdup (f->text);
  try_compile (f, source, FALSE);
  g_free (source);
  assert_null (f->pattern);
  assert_true (g_error_matches (f->error, FW_ERROR, FW_ERROR_LIMIT));
  assert_string_equal (f->error->message, "pattern is longer than the limit of 2048 bytes");
}

/* ---- Raw regexes ----------------------------------------------------------------------------- */

static void
test_raw_regex_runs_over_the_original_text (void **state)
{
  Fixture *f = *state;
  const char *text = "About 20 % deposit";
  try_compile (f, "\\b\\d+\\s*%", TRUE);
  assert_non_null (f->pattern);
  assert_true (f->pattern->raw);
  int rc = pcre2_match (f->pattern->code, (PCRE2_SPTR)text, strlen (text), 0, PCRE2_NO_JIT, f->match_data, NULL);
  assert_true (rc > 0);
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer (f->match_data);
  assert_int_equal (ov[0], 6);
  assert_int_equal (ov[1], 10);
  /* A raw regex names no words: the prefilter always lets it run. */
  assert_int_equal (f->pattern->required->len, 0);
}

/* The matcher passes over a text that lacks the literal every match of a
 * raw regex holds; when it cannot be sure of one, there is none. */
static void
test_raw_regex_knows_the_literal_it_requires (void **state)
{
  Fixture *f = *state;
  static const struct {
    const char *regex;
    const char *literal;
  } cases[] = {
    { "\\bnot\\s+enough\\s+cash\\b", "enough" },
    { "\\b(die\\s+)?Sicherheit\\b", "sicherheit" },
    { "^\\W*(die\\s+)?Sicherheit\\W*$", NULL },   /* anchored: fails at once anyway */
    { "\\bIRAs?\\b", "ira" },
    { "\\b24\\s*(/|x)\\s*7\\b", NULL },       /* "24" is too short */
    { "deposit|down payment", NULL },           /* an alternation at the top */
    { "(?x) de pos it", NULL },                 /* an option changes what follows */
    { "\\x41bcdef", NULL },                     /* an escape not worth reading */
    { "ab[cde]fgh", "fgh" },
    { "abcd+", "abc" },                         /* d is repeated */
    { "\\$\\.50 each", "$.50" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      try_compile (f, cases[i].regex, TRUE);
      assert_non_null (f->pattern);
      if (g_strcmp0 (f->pattern->literal, cases[i].literal) != 0)
        fail_msg ("'%s': literal '%s', expected '%s'", cases[i].regex, f->pattern->literal ? f->pattern->literal : "(none)",
                  cases[i].literal ? cases[i].literal : "(none)");
    }
}

static void
test_raw_regex_ignores_case (void **state)
{
  Fixture *f = *state;
  const char *text = "NO DEPOSIT";
  try_compile (f, "no deposit", TRUE);
  assert_non_null (f->pattern);
  assert_true (pcre2_match (f->pattern->code, (PCRE2_SPTR)text, strlen (text), 0, PCRE2_NO_JIT, f->match_data, NULL)
               > 0);
}

static void
test_raw_regex_that_does_not_compile_shows_a_caret (void **state)
{
  Fixture *f = *state;
  assert_compile_error (f, "(ride|cycle", TRUE, FW_ERROR_PATTERN,
                        "regex does not compile at offset 11: missing closing parenthesis\n"
                        "    (ride|cycle\n"
                        "               ^");
  assert_compile_error (f, "[a-z]{3,2}", TRUE, FW_ERROR_PATTERN,
                        "regex does not compile at offset 9: numbers out of order in {} quantifier\n"
                        "    [a-z]{3,2}\n"
                        "             ^");
}

/* The probe refuses regexes that backtrack catastrophically, including
 * ones that need a letter at the end ("y") or runs of another letter. */
static void
test_raw_regex_that_backtracks_catastrophically_is_refused (void **state)
{
  const char *const runaway[] = { "(a+)+$", "(a+)+y", "(x+x+)+y", "(\\w+\\s?)+$", NULL };
  for (guint i = 0; runaway[i] != NULL; i++)
    {
      GError *error = NULL;
      FwPattern *pattern = fw_pattern_compile (runaway[i], TRUE, NULL, NULL, NULL, NULL, &error);
      assert_non_null (pattern);
      assert_false (fw_pattern_probe (pattern, &error));
      assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_LIMIT));
      g_autofree char *want = g_strdup_printf ("regex '%s' backtracks catastrophically: it hit the match limit of "
                                               "200000 on a short test text; avoid nested repeats such as (a+)+",
                                               runaway[i]);
      assert_string_equal (error->message, want);
      g_error_free (error);
      fw_pattern_free (pattern);
    }
  /* ordinary regexes pass */
  const char *const tame[] = { "\\b\\d+\\s*%", "\\bloan(s)?\\b", "(?:a|b)+c", NULL };
  for (guint i = 0; tame[i] != NULL; i++)
    {
      FwPattern *pattern = fw_pattern_compile (tame[i], TRUE, NULL, NULL, NULL, NULL, NULL);
      assert_non_null (pattern);
      assert_true (fw_pattern_probe (pattern, NULL));
      fw_pattern_free (pattern);
    }
  (void) state;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown (name, setup, teardown)
    T (test_word_matches_any_case),
    T (test_pattern_knows_the_words_it_can_begin_with),
    T (test_raw_regex_knows_the_literal_it_requires),
    T (test_word_matches_regular_inflections),
    T (test_irregular_forms_are_other_words),
    T (test_word_matches_whole_words_only),
    T (test_words_in_a_row_must_be_adjacent),
    T (test_contraction_in_a_pattern_matches_both_spellings),
    T (test_punctuation_in_a_word_is_not_regex_syntax),
    T (test_concept_matches_any_of_its_terms),
    T (test_concept_term_of_several_words_matches_as_a_phrase),
    T (test_shared_concept_is_found_when_the_ruleset_lacks_it),
    T (test_ruleset_concept_hides_a_shared_one_of_the_same_name),
    T (test_concept_may_name_another_concept),
    T (test_concept_naming_itself_is_an_error_not_a_hang),
    T (test_unknown_concept_is_an_error),
    T (test_brackets_match_any_one_item),
    T (test_bracket_items_may_be_concepts_and_phrases),
    T (test_quoted_phrase_matches_its_words_in_a_row),
    T (test_braces_make_a_word_optional),
    T (test_braces_may_hold_several_words_or_brackets),
    T (test_gap_spans_zero_to_four_words),
    T (test_gap_never_spans_five_words),
    T (test_gap_stays_inside_one_clause),
    T (test_gap_must_stand_between_two_items),
    T (test_forbidden_word_is_recorded_and_not_matched),
    T (test_forbidden_may_be_a_bracket_or_a_concept),
    T (test_forbidden_alone_is_no_pattern),
    T (test_required_words_are_one_group_per_item),
    T (test_optional_words_are_not_required),
    T (test_every_word_of_a_phrase_is_required),
    T (test_pattern_with_a_negation_cue_is_marked),
    T (test_unbalanced_brackets_are_errors),
    T (test_empty_groups_are_errors),
    T (test_unterminated_quote_is_an_error),
    T (test_tilde_needs_a_concept_name),
    T (test_empty_quoted_phrase_is_an_error),
    T (test_stray_syntax_in_brackets_is_an_error_at_its_column),
    T (test_concept_without_words_is_an_error),
    T (test_item_without_words_is_an_error),
    T (test_pattern_over_the_length_limit_is_refused),
    T (test_raw_regex_runs_over_the_original_text),
    T (test_raw_regex_ignores_case),
    T (test_raw_regex_that_does_not_compile_shows_a_caret),
    T (test_raw_regex_that_backtracks_catastrophically_is_refused),
#undef T
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
