/* test-matcher.c: running compiled patterns over answers.
 *
 * The rules are tests/data/rules/matcher.xml (one pattern a rung) with the
 * test motivations. Each case offers an answer to the rungs it is about, as
 * the session does, and asserts the rung that wins and the evidence a user
 * would see: the quoted span of their own words.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fivewhys.h"
#include "fw-private.h"

#define TEST_RULES TOP_SRCDIR "/tests/data/rules"

typedef struct
{
  FwLibrary *library;
  FwRuleset *ruleset;
  FwScratch *scratch;
  FwHit hit;        /* of the last match */
  GError *error;    /* of the last match */
  GPtrArray *rungs; /* offered to the last match */
  char *text;       /* the last text asserted on */
} Fixture;

static FwLibrary *shared_library; /* loaded once for the group */

static int
group_setup (void **state)
{
  GError *error = NULL;
  shared_library = fw_library_new ();
  gboolean ok = fw_library_add_path (shared_library, TEST_RULES "/motivations.xml", &error)
                && fw_library_add_path (shared_library, TEST_RULES "/matcher.xml", &error)
                && fw_library_compile (shared_library, &error);
  if (!ok)
    {
      fprintf (stderr, "the matcher fixture does not load: %s\n", error != NULL ? error->message : "?");
      g_clear_error (&error);
      return -1;
    }
  /* "(x+x+)+y" backtracks catastrophically, so check refuses it in a rule
   * file; the rung "exes" gets it here, as a library that skipped the check
   * would hold it, to test what the matcher does at run time. */
  FwRuleset *ruleset = fw_library_find_ruleset (shared_library, "matcher");
  FwRung *exes = fw_ruleset_find_rung (ruleset, "exes");
  FwPattern *runaway = fw_pattern_compile ("(x+x+)+y", TRUE, NULL, NULL, NULL, NULL, &error);
  if (runaway == NULL || fw_pattern_probe (runaway, NULL))
    {
      fprintf (stderr, "the runaway regex should compile and fail the probe\n");
      return -1;
    }
  FwPattern *tame = g_ptr_array_index (exes->patterns, 0);
  runaway->place = tame->place;
  runaway->lang = tame->lang;
  runaway->owner_kind = tame->owner_kind;
  runaway->owner = exes;
  g_ptr_array_index (exes->patterns, 0) = runaway;
  g_ptr_array_add (shared_library->patterns, runaway); /* the library frees it */
  return 0;
}

static int
group_teardown (void **state)
{
  fw_library_free (shared_library);
  return 0;
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->library = shared_library;
  f->ruleset = fw_library_find_ruleset (f->library, "matcher");
  assert_non_null (f->ruleset);
  f->scratch = fw_scratch_new (f->library);
  f->rungs = g_ptr_array_new ();
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  fw_scratch_free (f->scratch);
  g_ptr_array_unref (f->rungs);
  g_clear_error (&f->error);
  g_free (f->text);
  g_free (f);
  return 0;
}

static FwRung *
rung (Fixture *f, const char *id)
{
  FwRung *r = g_hash_table_lookup (f->ruleset->rung_by_id, id);
  if (r == NULL)
    fail_msg ("the fixture has no rung '%s'", id);
  return r;
}

/* Offers @len bytes of @text to the rungs named after it (NULL-terminated)
 * and returns the id of the winner, or NULL. */
static const char *
match_len (Fixture *f, const char *text, gsize len, ...)
{
  va_list args;
  va_start (args, len);
  g_ptr_array_set_size (f->rungs, 0);
  for (const char *id = va_arg (args, const char *); id != NULL; id = va_arg (args, const char *))
    g_ptr_array_add (f->rungs, rung (f, id));
  va_end (args);
  g_clear_error (&f->error);
  int index = fw_match_rungs (f->scratch, f->rungs, NULL, f->ruleset->lang, text, len, &f->hit, &f->error);
  return index >= 0 ? fw_rung_get_id (g_ptr_array_index (f->rungs, index)) : NULL;
}

#define match(f, text, ...) match_len (f, text, strlen (text), __VA_ARGS__, NULL)

/* The evidence of the last match: the answer's bytes it covers. */
static const char *
evidence (Fixture *f, const char *text)
{
  assert_true (f->hit.start <= f->hit.end);
  assert_true (f->hit.end <= strlen (text));
  g_free (f->text);
  f->text = g_strndup (text + f->hit.start, f->hit.end - f->hit.start);
  return f->text;
}

static void
assert_winner (const char *actual, const char *expected)
{
  if (g_strcmp0 (actual, expected) != 0)
    fail_msg ("'%s' won, expected '%s'", actual != NULL ? actual : "(nothing)",
              expected != NULL ? expected : "(nothing)");
}

/* ---- Raw regexes: the literal they require, the ASCII copy ---------------------- */

/* "\bnot\s+enough\s+cash\b" requires "enough": a text without it is
 * passed over without running PCRE2, and one with it, in any case, matches
 * as the regex says, on a text of ASCII only (the regex's ASCII copy) and
 * on one with other characters (the regex itself). */
static void
test_raw_regex_matches_the_same_on_ascii_and_other_text (void **state)
{
  Fixture *f = *state;
  assert_winner (match (f, "we have NOT ENOUGH CASH", "short"), "short");
  assert_string_equal (evidence (f, "we have NOT ENOUGH CASH"), "NOT ENOUGH CASH");
  const char *accented = "caf\xc3\xa9 owner: not enough cash";
  assert_winner (match (f, accented, "short"), "short");
  assert_string_equal (evidence (f, accented), "not enough cash");
  assert_winner (match (f, "we have not sufficient cash", "short"), NULL);
  assert_winner (match (f, "caf\xc3\xa9: not sufficient cash", "short"), NULL);
}

/* Caseless matching takes U+017F (long s) for s: "\bsuper\b" matches
 * "\xc5\xbfuper", so its literal "super" is not looked for in a text that is
 * not ASCII, where it could be spelled so. */
static void
test_raw_regex_literal_does_not_hide_a_caseless_unicode_match (void **state)
{
  Fixture *f = *state;
  assert_winner (match (f, "a SUPER fund", "super"), "super");
  assert_winner (match (f, "a \xc5\xbfuper fund", "super"), "super");
  assert_winner (match (f, "a superb fund", "super"), NULL);
}

/* ---- Negation ----------------------------------------------------------------- */

static void
test_negated_mention_does_not_match (void **state)
{
  Fixture *f = *state;
  assert_winner (match (f, "it's not really about the money", "money"), NULL);
  assert_null (f->error);
}

static void
test_negation_after_the_match_does_not_cancel_it (void **state)
{
  Fixture *f = *state;
  const char *text = "we need the money, not a lecture";
  assert_winner (match (f, text, "need-money"), "need-money");
  assert_string_equal (evidence (f, text), "need the money");
  assert_int_equal (f->hit.start, 3);
  assert_int_equal (f->hit.end, 17);
}

static void
test_contracted_negation_cancels_a_match (void **state)
{
  Fixture *f = *state;
  assert_winner (match (f, "we don't need the money", "need-money"), NULL);
  assert_winner (match (f, "it isn't the money", "money"), NULL);
  assert_winner (match (f, "we'd manage without money", "money"), NULL);
  assert_winner (match (f, "we never had money", "money"), NULL);
}

static void
test_negation_reaches_five_words_and_no_further (void **state)
{
  Fixture *f = *state;
  /* "not" is the fifth word before "money": in reach. */
  assert_winner (match (f, "not that it is the money", "money"), NULL);
  /* the sixth: out of reach. */
  assert_winner (match (f, "not that it is about the money", "money"), "money");
  assert_winner (match (f, "I'm not saying it is all about the money", "money"), "money");
}

static void
test_comma_or_but_ends_the_reach_of_a_negation (void **state)
{
  Fixture *f = *state;
  assert_winner (match (f, "not the house, the money", "money"), "money");
  assert_winner (match (f, "not the house but the money", "money"), "money");
}

static void
test_negation_does_not_cross_a_sentence (void **state)
{
  Fixture *f = *state;
  assert_winner (match (f, "Not sure. Money, I guess", "money"), "money");
}

static void
test_a_later_mention_counts_when_the_first_is_negated (void **state)
{
  Fixture *f = *state;
  const char *text = "it's not the money. Well, it is the money";
  assert_winner (match (f, text, "money"), "money");
  assert_string_equal (evidence (f, text), "money");
  assert_int_equal (f->hit.start, strlen ("it's not the money. Well, it is the "));
}

static void
test_pattern_with_its_own_negation_matches_as_written (void **state)
{
  Fixture *f = *state;
  const char *text = "we just can't afford it";
  assert_winner (match (f, text, "afford"), "afford");
  assert_string_equal (evidence (f, text), "can't afford");
}

/* ---- Forbidden words ---------------------------------------------------------- */

static void
test_forbidden_word_in_the_clause_cancels_the_match (void **state)
{
  Fixture *f = *state;
  assert_winner (match (f, "we rent a house", "own"), NULL);
  assert_winner (match (f, "a house, to rent out", "own"), NULL);
}

static void
test_forbidden_word_in_another_clause_does_not (void **state)
{
  Fixture *f = *state;
  const char *text = "We want a house. Rent is dead money";
  assert_winner (match (f, text, "own"), "own");
  assert_string_equal (evidence (f, text), "house");
}

/* ---- Scoring -------------------------------------------------------------------- */

static void
test_more_matched_words_win (void **state)
{
  Fixture *f = *state;
  const char *text = "we need money";
  assert_winner (match (f, text, "money", "need-money"), "need-money");
  assert_string_equal (evidence (f, text), "need money");
  assert_winner (match (f, text, "need-money", "money"), "need-money");
}

static void
test_rarer_words_win (void **state)
{
  Fixture *f = *state;
  /* "home" is in three patterns, "castle" in one. */
  assert_winner (match (f, "my home is my castle", "homely", "castle"), "castle");
  assert_winner (match (f, "my home is my castle", "castle", "homely"), "castle");
}

static void
test_ties_go_to_document_order (void **state)
{
  Fixture *f = *state;
  assert_winner (match (f, "cats and dogs", "cats", "dogs"), "cats");
  assert_winner (match (f, "cats and dogs", "dogs", "cats"), "cats");
  assert_winner (match (f, "dogs and cats", "cats", "dogs"), "dogs");
  assert_winner (match (f, "dogs and cats", "dogs", "cats"), "dogs");
}

static void
test_bonus_is_added_to_the_score (void **state)
{
  Fixture *f = *state;
  g_ptr_array_set_size (f->rungs, 0);
  g_ptr_array_add (f->rungs, rung (f, "cats"));
  g_ptr_array_add (f->rungs, rung (f, "dogs"));
  const double bonus[] = { 0, 0.5 };
  const char *text = "cats and dogs";
  int index = fw_match_rungs (f->scratch, f->rungs, bonus, f->ruleset->lang, text, strlen (text), &f->hit, NULL);
  assert_int_equal (index, 1);
  assert_string_equal (evidence (f, text), "dogs");
}

static void
test_no_rung_matches_unrelated_words (void **state)
{
  Fixture *f = *state;
  assert_winner (match (f, "the weather is nice", "money", "need-money", "own", "cats", "dogs", "castle"), NULL);
  assert_winner (match (f, "", "money"), NULL);
  assert_null (f->error);
}

/* ---- The prefilter -------------------------------------------------------------------- */

static void
test_prefilter_skips_patterns_whose_words_are_absent (void **state)
{
  Fixture *f = *state;
  FwPattern *pattern = g_ptr_array_index (rung (f, "need-money")->patterns, 0);
  const char *lang = f->ruleset->lang;
  fw_scratch_prepare (f->scratch, lang, "we need cash", strlen ("we need cash"));
  assert_true (fw_scratch_may_match (f->scratch, pattern));
  fw_scratch_prepare (f->scratch, lang, "we want cash", strlen ("we want cash"));
  assert_false (fw_scratch_may_match (f->scratch, pattern));
  char *missing = fw_scratch_missing_words (f->scratch, pattern);
  assert_string_equal (missing, "'need'");
  g_free (missing);
  fw_scratch_prepare (f->scratch, lang, "we need help", strlen ("we need help"));
  assert_false (fw_scratch_may_match (f->scratch, pattern));
  /* Raw regexes name no words: they always run. */
  FwPattern *raw = g_ptr_array_index (rung (f, "percent")->patterns, 0);
  assert_true (fw_scratch_may_match (f->scratch, raw));
}

/* ---- Raw regexes ---------------------------------------------------------------------- */

static void
test_raw_regex_gives_evidence_in_the_original_text (void **state)
{
  Fixture *f = *state;
  const char *text = "We can put down 20 % of it";
  assert_winner (match (f, text, "percent"), "percent");
  assert_string_equal (evidence (f, text), "20 %");
}

/* "The money is not the issue" denies the money: an auxiliary and a cue
 * straight after the match. Further on, they deny something else. */
static void
test_auxiliary_and_cue_after_a_match_deny_it (void **state)
{
  Fixture *f = *state;
  assert_winner (match (f, "honestly the money is not the issue", "money"), NULL);
  assert_winner (match (f, "the price doesn't matter, we need money", "need-money"), "need-money");
  assert_winner (match (f, "we need the money and that is not negotiable", "need-money"), "need-money");
}

/* A greedy gap that reaches over a cue falls back to the shortest match:
 * "need money not more advice" still needs money. */
static void
test_gap_falls_back_to_the_shortest_match_before_a_cue (void **state)
{
  Fixture *f = *state;
  const char *text = "we need money not more advice about money";
  assert_winner (match (f, text, "need-money"), "need-money");
  assert_string_equal (evidence (f, text), "need money");
}

/* "not that I'm worried" denies, even in a pattern that names a cue. */
static void
test_not_that_denies_a_pattern_with_its_own_cue (void **state)
{
  Fixture *f = *state;
  assert_winner (match (f, "so we are never worried about it", "worry-free"), "worry-free");
  assert_winner (match (f, "not that I'm worried or anything", "worry-free"), NULL);
  assert_winner (match (f, "not because I am worried", "worry-free"), NULL);
}

/* A raw regex that spells out a negation matches as written; a cue before
 * it still negates it. */
static void
test_raw_regex_with_its_own_negation_matches (void **state)
{
  Fixture *f = *state;
  assert_winner (match (f, "there is not enough cash for the deposit", "short"), "short");
  assert_winner (match (f, "it's never that there is not enough cash", "short"), NULL);
}

/* A regex that slips past the check-time probe ("(x+x+)+y" backtracks only on
 * runs of x) gives up on a long answer with an error naming it. */
static void
test_runaway_regex_is_a_limit_error_not_a_hang (void **state)
{
  Fixture *f = *state;
  /* The "y" after the run defeats PCRE2's quick check for the required
   * letter, so every split of the x's is tried before " y" fails. */
  GString *text = g_string_new (NULL);
  for (int i = 0; i < 5000; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, " y");
  gint64 start = g_get_monotonic_time ();
  const char *winner = match_len (f, text->str, text->len, "exes", NULL);
  gint64 elapsed = g_get_monotonic_time () - start;
  assert_null (winner);
  assert_non_null (f->error);
  assert_true (g_error_matches (f->error, FW_ERROR, FW_ERROR_LIMIT));
  g_free (f->text);
  f->text = g_strdup_printf ("%s/matcher.xml:61: pattern '(x+x+)+y' gave up on this text: match limit exceeded",
                             TEST_RULES);
  assert_string_equal (f->error->message, f->text);
  /* valgrind makes it slow, but nowhere near a hang */
  assert_true (elapsed < 30 * G_USEC_PER_SEC);

  /* One pattern run says so in its hit. */
  FwPattern *pattern = g_ptr_array_index (rung (f, "exes")->patterns, 0);
  FwDoc *doc = fw_scratch_prepare (f->scratch, f->ruleset->lang, text->str, text->len);
  FwHit hit;
  GError *error = NULL;
  assert_false (fw_pattern_run (f->scratch, pattern, doc, text->str, text->len, &hit, &error));
  g_string_free (text, TRUE);
  assert_true (hit.limit);
  assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_LIMIT));
  g_error_free (error);
}

/* The textbook case, "(a+)+$" on "aaa...ab". The compiler refuses it at check
 * time (test-pattern.c), so it is built here by hand, as a library that
 * skipped the check would hold it: the matcher still gives up with an error. */
static void
test_textbook_runaway_regex_gives_a_limit_error (void **state)
{
  Fixture *f = *state;
  FwPattern *pattern = g_new0 (FwPattern, 1);
  pattern->source = g_strdup ("(a+)+$");
  pattern->regex = g_strdup (pattern->source);
  pattern->raw = TRUE;
  int code;
  PCRE2_SIZE offset;
  pattern->code
      = pcre2_compile ((PCRE2_SPTR)pattern->regex, PCRE2_ZERO_TERMINATED,
                       PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF, &code, &offset, NULL);
  assert_non_null (pattern->code);
  pattern->jit = pcre2_jit_compile (pattern->code, PCRE2_JIT_COMPLETE) == 0;
  pattern->required = g_ptr_array_new ();
  pattern->words = g_array_new (FALSE, FALSE, sizeof (gint32));
  pattern->forbidden = g_array_new (FALSE, FALSE, sizeof (gint32));
  pattern->place.file = "by-hand.xml";
  pattern->place.line = 1;
  pattern->lang = f->ruleset->lang;

  GString *text = g_string_new (NULL);
  for (int i = 0; i < 5000; i++)
    g_string_append_c (text, 'a');
  g_string_append_c (text, 'b');
  FwDoc *doc = fw_scratch_prepare (f->scratch, f->ruleset->lang, text->str, text->len);
  FwHit hit;
  gint64 start = g_get_monotonic_time ();
  gboolean matched = fw_pattern_run (f->scratch, pattern, doc, text->str, text->len, &hit, &f->error);
  gint64 elapsed = g_get_monotonic_time () - start;
  g_string_free (text, TRUE);
  fw_pattern_free (pattern);
  assert_false (matched);
  assert_true (hit.limit);
  assert_true (g_error_matches (f->error, FW_ERROR, FW_ERROR_LIMIT));
  assert_string_equal (f->error->message, "by-hand.xml:1: pattern '(a+)+$' gave up on this text: match limit exceeded");
  assert_true (elapsed < 30 * G_USEC_PER_SEC);
}

/* One runaway pattern is an error for this answer, reported to the caller,
 * but it does not hide the rungs whose patterns did match. */
static void
test_runaway_regex_is_reported_while_other_rungs_still_match (void **state)
{
  Fixture *f = *state;
  GString *text = g_string_new ("we need money ");
  for (int i = 0; i < 5000; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, " y");
  const char *winner = match_len (f, text->str, text->len, "need-money", "exes", NULL);
  g_string_free (text, TRUE);
  assert_winner (winner, "need-money");
  assert_true (g_error_matches (f->error, FW_ERROR, FW_ERROR_LIMIT));
}

static void
test_runaway_regex_on_a_short_text_still_matches_normally (void **state)
{
  Fixture *f = *state;
  const char *text = "xxxy";
  assert_winner (match (f, text, "exes"), "exes");
  assert_null (f->error);
  assert_string_equal (evidence (f, text), "xxxy");
}

/* ---- Texts no customer types ----------------------------------------------------------- */

static void
test_invalid_utf8_is_matched_without_harm (void **state)
{
  Fixture *f = *state;
  const char *text = "we need \xff\xfe the money \xc3";
  assert_winner (match (f, text, "need-money", "percent"), "need-money");
  assert_null (f->error);
  assert_string_equal (evidence (f, text), "need \xff\xfe the money");
  const char *raw = "\xff 15% \xfe";
  assert_winner (match (f, raw, "percent"), "percent");
  assert_string_equal (evidence (f, raw), "15%");
}

static void
test_nul_byte_is_a_space (void **state)
{
  Fixture *f = *state;
  static const char text[] = "we need\0money";
  assert_winner (match_len (f, text, sizeof text - 1, "need-money", NULL), "need-money");
}

static void
test_long_answer_is_matched (void **state)
{
  Fixture *f = *state;
  GString *text = g_string_new (NULL);
  for (int i = 0; i < 20000; i++)
    g_string_append (text, "blah ");
  g_string_append (text, "we need money");
  const char *winner = match_len (f, text->str, text->len, "need-money", NULL);
  assert_winner (winner, "need-money");
  assert_int_equal (f->hit.start, text->len - strlen ("need money"));
  g_string_free (text, TRUE);
}

/* ---- fw_match_patterns: need and non-answer patterns ------------------------------------- */

static void
test_match_patterns_finds_the_need (void **state)
{
  Fixture *f = *state;
  FwHit hit;
  const char *text = "a matcher fixture, please";
  assert_true (
      fw_match_patterns (f->scratch, f->ruleset->need_patterns, f->ruleset->lang, text, strlen (text), &hit, NULL));
  assert_int_equal (hit.start, 2);
  assert_int_equal (hit.end, 17);
  assert_ptr_equal (fw_library_match_need (f->library, f->scratch, text), f->ruleset);
  assert_ptr_equal (fw_library_match_need (f->library, f->scratch, "MATCHER"), f->ruleset);
  assert_ptr_equal (fw_library_match_need (f->library, f->scratch, "Matcher fixture"), f->ruleset);
  assert_null (fw_library_match_need (f->library, f->scratch, "a car loan"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown (name, setup, teardown)
    T (test_raw_regex_matches_the_same_on_ascii_and_other_text),
    T (test_raw_regex_literal_does_not_hide_a_caseless_unicode_match),
    T (test_negated_mention_does_not_match),
    T (test_negation_after_the_match_does_not_cancel_it),
    T (test_contracted_negation_cancels_a_match),
    T (test_negation_reaches_five_words_and_no_further),
    T (test_comma_or_but_ends_the_reach_of_a_negation),
    T (test_negation_does_not_cross_a_sentence),
    T (test_a_later_mention_counts_when_the_first_is_negated),
    T (test_pattern_with_its_own_negation_matches_as_written),
    T (test_forbidden_word_in_the_clause_cancels_the_match),
    T (test_forbidden_word_in_another_clause_does_not),
    T (test_more_matched_words_win),
    T (test_rarer_words_win),
    T (test_ties_go_to_document_order),
    T (test_bonus_is_added_to_the_score),
    T (test_no_rung_matches_unrelated_words),
    T (test_prefilter_skips_patterns_whose_words_are_absent),
    T (test_raw_regex_gives_evidence_in_the_original_text),
    T (test_raw_regex_with_its_own_negation_matches),
    T (test_auxiliary_and_cue_after_a_match_deny_it),
    T (test_gap_falls_back_to_the_shortest_match_before_a_cue),
    T (test_not_that_denies_a_pattern_with_its_own_cue),
    T (test_runaway_regex_is_a_limit_error_not_a_hang),
    T (test_textbook_runaway_regex_gives_a_limit_error),
    T (test_runaway_regex_is_reported_while_other_rungs_still_match),
    T (test_runaway_regex_on_a_short_text_still_matches_normally),
    T (test_invalid_utf8_is_matched_without_harm),
    T (test_nul_byte_is_a_space),
    T (test_long_answer_is_matched),
    T (test_match_patterns_finds_the_need),
#undef T
  };
  return cmocka_run_group_tests (tests, group_setup, group_teardown);
}
