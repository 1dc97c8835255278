/* test-note.c: the chain builder for deal notes (note.c) and the word
 * index in front of it (index.c).
 *
 * The rules are those of the analyze cases (tests/cases/analyze/rules): a
 * home loan "loan" (money > space > comfort > family, and a price rung rate >
 * security), a car loan "car" (commute > earn > family), a German "kredit"
 * (platz > family) and a small motivation layer. Each case analyzes a note as
 * a seller would write it and asserts what a sales manager would read: the
 * need, the chain with its quotes, the motivation and the flags. The index is
 * also checked against the full shipped rules: it must never hide a pattern
 * that can match.
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

#define CASE_RULES TOP_SRCDIR "/tests/cases/analyze/rules"
#define SHIPPED_RULES TOP_SRCDIR "/rules"

typedef struct {
  FwLibrary *library;
  FwScratch *scratch;
  FwNoteResult *result;
} Fixture;

static FwLibrary *case_library;

static int
group_setup (void **state)
{
  GError *error = NULL;
  case_library = fw_library_new ();
  if (!fw_library_add_path (case_library, CASE_RULES, &error) || !fw_library_compile (case_library, &error))
    {
      fprintf (stderr, "the analyze case rules do not load: %s\n", error != NULL ? error->message : "?");
      g_clear_error (&error);
      return -1;
    }
  return 0;
}

static int
group_teardown (void **state)
{
  fw_library_free (case_library);
  return 0;
}

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->library = case_library;
  f->scratch = fw_scratch_new (case_library);
  f->result = fw_note_result_new ();
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  fw_scratch_free (f->scratch);
  fw_note_result_free (f->result);
  g_free (f);
  return 0;
}

static const FwNoteResult *
analyze (Fixture *f, const char *note)
{
  GError *error = NULL;
  assert_true (fw_note_analyze (f->scratch, note, strlen (note), f->result, &error));
  assert_null (error);
  return f->result;
}

/* The chain as "rung:quote>rung:quote", for one assertion per note. */
static char *
chain_of (const FwNoteResult *r)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < r->n_chain; i++)
    g_string_append_printf (out, "%s%s:%s", i > 0 ? ">" : "", fw_rung_get_id (r->chain[i].rung),
                            r->chain[i].evidence.text);
  return g_string_free (out, FALSE);
}

static void
assert_note (const FwNoteResult *r, const char *need, const char *chain, const char *motivation, guint flags)
{
  g_autofree char *got = chain_of (r);
  assert_string_equal (r->need != NULL ? fw_ruleset_get_id (r->need) : "(none)", need);
  assert_string_equal (got, chain);
  assert_int_equal (r->depth, r->n_chain);
  assert_string_equal (r->motivation != NULL ? fw_motivation_get_id (r->motivation) : "(none)", motivation);
  assert_int_equal (r->flags, flags);
}

/* ---- chains --------------------------------------------------------------- */

static void
test_chain_follows_the_tree_with_quotes (void **state)
{
  Fixture *f = *state;
  const char *note = "Mortgage. They need the money, want more room: the kids need their own rooms.";
  const FwNoteResult *r = analyze (f, note);
  assert_note (r, "loan", "money:need the money>space:more room>comfort:own rooms>family:kids", "family", 0);
  assert_false (r->need_inferred);
  assert_string_equal (r->need_evidence.text, "Mortgage");
  /* Evidence spans are byte offsets into the note and quote it. */
  for (guint i = 0; i < r->n_chain; i++)
    {
      const FwEvidence *e = &r->chain[i].evidence;
      assert_true (e->end > e->start && e->end <= strlen (note));
      assert_memory_equal (note + e->start, e->text, e->end - e->start);
    }
  assert_int_equal (r->chain[0].level, FW_LEVEL_FUNCTION);
  assert_int_equal (r->chain[3].level, FW_LEVEL_MOTIVATION);
  assert_int_equal (r->n_unmatched, 0); /* deep notes list no unmatched phrases */
}

static void
test_evidence_in_any_order_and_rungs_skipped (void **state)
{
  Fixture *f = *state;
  /* The kids come first, the money last, and space is never said. */
  const FwNoteResult *r = analyze (f, "The kids need their own rooms. Mortgage, and they need the money.");
  assert_note (r, "loan", "money:need the money>comfort:own rooms>family:kids", "family", 0);
}

static void
test_one_phrase_counts_for_the_deeper_rung (void **state)
{
  Fixture *f = *state;
  /* "more room" is space, but "own rooms" holds both space's and comfort's
   * word: said once, it is the deeper rung only. */
  const FwNoteResult *r = analyze (f, "Mortgage. Wants their own rooms.");
  assert_note (r, "loan", "comfort:own rooms", "(none)", 0);
}

static void
test_need_words_are_not_rungs (void **state)
{
  Fixture *f = *state;
  /* The enjoyment layer names holidays, but "holiday house" states the
   * need (a need pattern of loan): those words are not also enjoyment. */
  const FwNoteResult *r = analyze (f, "Mortgage for a holiday house.");
  assert_note (r, "loan", "", "(none)", FW_NOTE_NO_DISCOVERY);
  r = analyze (f, "Mortgage. They love the holidays, lots of fun.");
  assert_note (r, "loan", "enjoyment:holidays", "enjoyment", FW_NOTE_MOTIVATION_WITHOUT_PATH);
}

static void
test_negated_evidence_does_not_count (void **state)
{
  Fixture *f = *state;
  const FwNoteResult *r = analyze (f, "Mortgage. It's not that they need the money.");
  assert_note (r, "loan", "", "(none)", FW_NOTE_NO_DISCOVERY);
}

static void
test_motivation_completes_a_path (void **state)
{
  Fixture *f = *state;
  /* security is no child of money, but said in the note it ends the path. */
  const FwNoteResult *r = analyze (f, "Mortgage. They need the money. Peace of mind matters most.");
  assert_note (r, "loan", "money:need the money>security:Peace of mind", "security", 0);
}

static void
test_motivation_without_path (void **state)
{
  Fixture *f = *state;
  const FwNoteResult *r = analyze (f, "Mortgage. Honestly it's all for the kids.");
  assert_note (r, "loan", "family:kids", "family", FW_NOTE_MOTIVATION_WITHOUT_PATH);
  /* With no need at all, the motivation is still reported. */
  r = analyze (f, "Honestly it's all for the kids.");
  assert_note (r, "(none)", "", "family", FW_NOTE_MOTIVATION_WITHOUT_PATH);
}

/* ---- needs ------------------------------------------------------------------ */

static void
test_need_inferred_from_two_rungs (void **state)
{
  Fixture *f = *state;
  const FwNoteResult *r = analyze (f, "They need the money, and more room for the kids.");
  assert_note (r, "loan", "money:need the money>space:more room>family:kids", "family", 0);
  assert_true (r->need_inferred);
  assert_null (r->need_evidence.text);
}

static void
test_one_rung_does_not_name_a_need (void **state)
{
  Fixture *f = *state;
  const FwNoteResult *r = analyze (f, "They need the money.");
  assert_note (r, "(none)", "", "(none)", 0);
}

static void
test_several_needs_first_stated_wins (void **state)
{
  Fixture *f = *state;
  const FwNoteResult *r = analyze (f, "Car loan, and maybe a mortgage later.");
  assert_note (r, "car", "", "(none)", FW_NOTE_SEVERAL_NEEDS | FW_NOTE_NO_DISCOVERY);
  /* More evidence beats order. */
  r = analyze (f, "Car loan, and a mortgage: they need the money for more room.");
  assert_note (r, "loan", "money:need the money>space:more room", "(none)", FW_NOTE_SEVERAL_NEEDS);
}

static void
test_no_need_lists_unmatched_clauses (void **state)
{
  Fixture *f = *state;
  const FwNoteResult *r = analyze (f, "Left VOICEMAIL. Try again Thursday; ok. Éléonore Called Back About The Appointment "
                                      "Next Week At Ten. x. Fourth clause here.");
  assert_note (r, "(none)", "", "(none)", 0);
  /* Up to three clauses of two words or more, eight words at most,
   * case-folded; "ok" and "x" are too short to say anything. */
  assert_int_equal (r->n_unmatched, 3);
  assert_string_equal (r->unmatched[0], "left voicemail");
  assert_string_equal (r->unmatched[1], "try again thursday");
  assert_string_equal (r->unmatched[2], "éléonore called back about the appointment next week");
  assert_null (r->unmatched[3]);
}

/* ---- flags ------------------------------------------------------------------ */

static void
test_stopped_at_price (void **state)
{
  Fixture *f = *state;
  /* The deepest rung is a price rung (value="cost"). */
  const FwNoteResult *r = analyze (f, "Mortgage, wants a cheaper rate.");
  assert_note (r, "loan", "rate:cheaper rate", "(none)", FW_NOTE_STOPPED_AT_PRICE);
  /* Price words at the end, after the deepest rung. */
  r = analyze (f, "Mortgage. More room for a home office. Then only asked about fees and discounts.");
  assert_note (r, "loan", "space:More room", "(none)", FW_NOTE_STOPPED_AT_PRICE);
  /* Price words early, discovery after them: not stopped at price. */
  r = analyze (f, "Mortgage, asked about fees first. Then: more room, the kids need their own rooms.");
  assert_note (r, "loan", "space:more room>comfort:own rooms>family:kids", "family", 0);
  /* A motivation surfaced: not stopped at price, whatever came last. */
  r = analyze (f, "Mortgage, for the kids. Asked about fees.");
  assert_int_equal (r->flags & FW_NOTE_STOPPED_AT_PRICE, 0);
}

static void
test_flag_names (void **state)
{
  assert_string_equal (fw_note_flag_to_string (FW_NOTE_NO_DISCOVERY), "no-discovery");
  assert_string_equal (fw_note_flag_to_string (FW_NOTE_STOPPED_AT_PRICE), "stopped-at-price");
  assert_string_equal (fw_note_flag_to_string (FW_NOTE_SEVERAL_NEEDS), "several-needs");
  assert_string_equal (fw_note_flag_to_string (FW_NOTE_MOTIVATION_WITHOUT_PATH), "motivation-without-path");
  assert_null (fw_note_flag_to_string (FW_NOTE_NO_DISCOVERY | FW_NOTE_SEVERAL_NEEDS));
}

/* ---- languages ------------------------------------------------------------------ */

static void
test_second_language_only_with_its_stop_words (void **state)
{
  Fixture *f = *state;
  const FwNoteResult *r = analyze (f, "Kunde möchte eine Baufinanzierung, die Kinder brauchen mehr Platz.");
  assert_note (r, "kredit", "platz:mehr Platz>family:Kinder", "family", 0);
  /* No German stop word: the note is read in English only. */
  r = analyze (f, "Baufinanzierung: Platz gesucht.");
  assert_note (r, "(none)", "", "(none)", 0);
}

/* ---- the result and the scratch ------------------------------------------------------ */

static void
test_result_reused_without_stale_data (void **state)
{
  Fixture *f = *state;
  analyze (f, "Mortgage. They need the money, want more room: the kids need their own rooms.");
  const FwNoteResult *r = analyze (f, "Left voicemail.");
  assert_note (r, "(none)", "", "(none)", 0);
  assert_int_equal (r->n_unmatched, 1);
  assert_null (r->need_evidence.text);
  assert_false (r->need_inferred);
}

static void
test_only_len_bytes_are_read (void **state)
{
  Fixture *f = *state;
  const char *text = "Mortgage. They need the money. The kids need their own rooms.";
  assert_true (fw_note_analyze (f->scratch, text, strlen ("Mortgage. They need the money."), f->result, NULL));
  assert_note (f->result, "loan", "money:need the money", "(none)", FW_NOTE_STOPPED_AT_PRICE);
  assert_true (fw_note_analyze (f->scratch, NULL, 0, f->result, NULL));
  assert_note (f->result, "(none)", "", "(none)", 0);
}

static void
test_too_long_is_an_error (void **state)
{
  Fixture *f = *state;
  GError *error = NULL;
  char text[] = "x";
  assert_false (fw_note_analyze (f->scratch, text, (gsize) FW_NOTE_MAX_BYTES + 1, f->result, &error));
  assert_true (g_error_matches (error, FW_ERROR, FW_ERROR_LIMIT));
  g_clear_error (&error);
  assert_null (f->result->need);
}

static void
test_generation_wraps (void **state)
{
  Fixture *f = *state;
  analyze (f, "Mortgage. They need the money.");
  /* After 2^32 notes the marks start again from 1: nothing stale may
   * survive, and nothing may be lost. */
  f->scratch->notes->generation = G_MAXUINT32 - 1;
  const char *notes[] = { "Mortgage. They need the money.", "Car loan to get to work.", "Left voicemail.",
                          "Mortgage. They need the money." };
  const char *needs[] = { "loan", "car", "(none)", "loan" };
  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      const FwNoteResult *r = analyze (f, notes[i]);
      assert_string_equal (r->need != NULL ? fw_ruleset_get_id (r->need) : "(none)", needs[i]);
      assert_int_equal (r->depth, 1 - (i == 2));
    }
}

/* ---- the index ---------------------------------------------------------------------- */

/* Every example of the shipped rules' rungs and needs (and, when
 * @counterexamples, the rungs' counterexamples) into @texts, with its
 * ruleset's language into @langs. */
static void
shipped_texts (FwLibrary *library, gboolean counterexamples, GPtrArray *texts, GPtrArray *langs)
{
  for (guint i = 0; i < library->rulesets->len; i++)
    {
      FwRuleset *ruleset = g_ptr_array_index (library->rulesets, i);
      for (guint r = 0; r < ruleset->all_rungs->len; r++)
        {
          FwRung *rung = g_ptr_array_index (ruleset->all_rungs, r);
          for (guint e = 0; e < rung->examples->len; e++)
            {
              g_ptr_array_add (texts, ((FwExample *) g_ptr_array_index (rung->examples, e))->text);
              g_ptr_array_add (langs, (gpointer) ruleset->lang);
            }
          for (guint e = 0; counterexamples && e < rung->counterexamples->len; e++)
            {
              g_ptr_array_add (texts, ((FwExample *) g_ptr_array_index (rung->counterexamples, e))->text);
              g_ptr_array_add (langs, (gpointer) ruleset->lang);
            }
        }
      for (guint e = 0; e < ruleset->need_examples->len; e++)
        {
          g_ptr_array_add (texts, ((FwExample *) g_ptr_array_index (ruleset->need_examples, e))->text);
          g_ptr_array_add (langs, (gpointer) ruleset->lang);
        }
    }
}

/* A pattern of words in a row ("[stable stability]", "peace of mind",
 * "[save saving] * [time hours]") is matched on the tokens' words, without
 * PCRE2: over every example and counterexample of the shipped rules, that
 * gives the same hit (place, negation, forbidden words, score) as running
 * its regex. */
static void
test_word_patterns_match_as_their_regex (void **state)
{
  g_autoptr (FwLibrary) library = fw_library_new ();
  if (!fw_library_add_path (library, SHIPPED_RULES, NULL))
    skip ();
  assert_true (fw_library_compile (library, NULL));
  g_autoptr (FwScratch) scratch = fw_scratch_new (library);
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();
  g_autoptr (GPtrArray) langs = g_ptr_array_new ();
  shipped_texts (library, TRUE, texts, langs);
  guint one_word = 0, compared = 0, matched = 0;
  for (guint p = 0; p < library->patterns->len; p++)
    {
      FwPattern *pattern = g_ptr_array_index (library->patterns, p);
      if (pattern->slots == NULL)
        continue;
      one_word++;
      for (guint t = 0; t < texts->len; t++)
        {
          const char *text = g_ptr_array_index (texts, t);
          if (g_ptr_array_index (langs, t) != pattern->lang)
            continue;
          FwDoc *doc = fw_scratch_prepare (scratch, pattern->lang, text, strlen (text));
          FwHit fast, slow;
          gboolean fast_found = fw_pattern_run (scratch, pattern, doc, text, strlen (text), &fast, NULL);
          FwSlot *slots = pattern->slots;
          pattern->slots = NULL;
          gboolean slow_found = fw_pattern_run (scratch, pattern, doc, text, strlen (text), &slow, NULL);
          pattern->slots = slots;
          if (fast_found != slow_found || (fast.pattern != NULL) != (slow.pattern != NULL)
              || fast.start != slow.start || fast.end != slow.end || fast.negated != slow.negated
              || fast.forbidden != slow.forbidden || fast.score != slow.score)
            fail_msg ("pattern '%s' on \"%s\": %d at %zu-%zu without PCRE2, %d at %zu-%zu with it", pattern->source,
                      text, fast_found, (size_t) fast.start, (size_t) fast.end, slow_found, (size_t) slow.start,
                      (size_t) slow.end);
          compared++;
          matched += fast_found;
        }
    }
  print_message ("%u patterns matched on words, %u runs compared, %u found\n", one_word, compared, matched);
  assert_true (one_word > 1500);
  assert_true (matched > 100);
  assert_true (compared > 100000);
}

/* ---- the shipped rules: family as a fact, family as the reason ------------- */

/* The motivation of @note under the shipped rules, "(none)" when none. */
static char *
shipped_motivation (const char *note, guint *depth)
{
  static FwLibrary *shipped;
  if (shipped == NULL)
    {
      shipped = fw_library_new ();
      assert_true (fw_library_add_path (shipped, SHIPPED_RULES, NULL));
      assert_true (fw_library_compile (shipped, NULL));
    }
  g_autoptr (FwScratch) scratch = fw_scratch_new (shipped);
  FwNoteResult *result = fw_note_result_new ();
  GError *error = NULL;
  assert_true (fw_note_analyze (scratch, note, strlen (note), result, &error));
  char *motivation = g_strdup (result->motivation != NULL ? fw_motivation_get_id (result->motivation) : "(none)");
  if (depth != NULL)
    *depth = result->depth;
  fw_note_result_free (result);
  return motivation;
}

/* In a note a family word is often a fact about the customer, not why
 * they buy: only <pattern in="answers"> reads a bare "the kids" as the
 * family motivation, and that is for answers to a why question. */
static void
test_family_stated_as_a_fact_is_not_the_motivation (void **state)
{
  const char *facts[] = {
    "Car loan for a bigger car, family's grown and the old one is too small for the pram.",
    "Course enquiry, evening classes, must fit around work and kids. No more detail.",
    "Mortgage top-up to renovate the kitchen. Growing family. Wife on mat leave till March.",
    "Home loan for the Ngata family, refinancing from the other bank. Sent rates.",
  };
  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    {
      g_autofree char *m = shipped_motivation (facts[i], NULL);
      if (strcmp (m, "family") == 0)
        fail_msg ("\"%s\" read as the family motivation", facts[i]);
    }
}

/* The family as the one it is for is the motivation, and it ends a chain
 * that stops at another motivation (terminal="true"): "stability for the
 * kids" is security, then the kids. */
static void
test_family_as_the_reason_ends_the_chain (void **state)
{
  const char *reasons[] = {
    "Home loan. Landlord keeps putting the rent up. Want stability for the kids so they can stay at the same school.",
    "Car loan for a 7 seater. Safety rating matters, they want to keep the kids safe.",
    "Gym membership, doctor told him to lose weight. Wants to be around for his grandkids.",
    "Life insurance, new baby. Wants to provide for the kids if something happens to him.",
  };
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      guint depth = 0;
      g_autofree char *m = shipped_motivation (reasons[i], &depth);
      if (strcmp (m, "family") != 0)
        fail_msg ("\"%s\": motivation %s, not family", reasons[i], m);
      assert_true (depth >= 2);
    }
}

/* With the shipped rules, for every example and counterexample of every rung
 * and need as a text: the index's candidates are exactly the patterns of the
 * text's language that fw_scratch_may_match lets through (non-answers
 * aside). The index may never hide a pattern that can match, and its own
 * check of the other required groups must agree with the matcher's. */
static void
test_index_candidates_are_the_possible_patterns (void **state)
{
  g_autoptr (FwLibrary) library = fw_library_new ();
  if (!fw_library_add_path (library, SHIPPED_RULES, NULL))
    skip ();
  fw_library_compile (library, NULL); /* a rule with an error elsewhere does not matter here */
  g_autoptr (FwScratch) scratch = fw_scratch_new (library);
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();
  g_autoptr (GPtrArray) langs = g_ptr_array_new ();
  shipped_texts (library, FALSE, texts, langs);
  assert_true (texts->len > 100);
  guint checked = 0;
  for (guint t = 0; t < texts->len; t++)
    {
      const char *text = g_ptr_array_index (texts, t);
      FwWordIndex *index = NULL;
      for (guint i = 0; i < library->indexes->len; i++)
        if (((FwWordIndex *) g_ptr_array_index (library->indexes, i))->lang == g_ptr_array_index (langs, t))
          index = g_ptr_array_index (library->indexes, i);
      assert_non_null (index);
      FwDoc *doc = fw_scratch_prepare (scratch, index->lang, text, strlen (text));
      FwNoteScratch *ns = fw_note_scratch_get (scratch);
      ns->generation++;
      FwIndexScan scan;
      fw_index_scan (scratch, index, doc, &scan);
      g_autoptr (GHashTable) candidates = g_hash_table_new (g_direct_hash, g_direct_equal);
      for (guint c = 0; c < scan.n_candidates; c++)
        g_hash_table_add (candidates, GUINT_TO_POINTER (scan.candidates[c]));
      assert_int_equal (g_hash_table_size (candidates), scan.n_candidates); /* each once */
      for (guint p = 0; p < library->patterns->len; p++)
        {
          FwPattern *pattern = g_ptr_array_index (library->patterns, p);
          if (pattern->lang != index->lang || pattern->owner_kind == FW_OWNER_NONANSWER || pattern->scope == FW_SCOPE_ANSWERS)
            continue;
          gboolean possible = fw_scratch_may_match (scratch, pattern);
          gboolean candidate = g_hash_table_contains (candidates, GUINT_TO_POINTER (p));
          if (possible != candidate)
            fail_msg ("\"%s\": pattern '%s' (%s:%d) is %sa candidate but may %smatch", text, pattern->source,
                      pattern->place.file, pattern->place.line, candidate ? "" : "not ", possible ? "" : "not ");
          checked++;
        }
    }
  assert_true (checked > 1000);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_chain_follows_the_tree_with_quotes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_evidence_in_any_order_and_rungs_skipped, setup, teardown),
    cmocka_unit_test_setup_teardown (test_one_phrase_counts_for_the_deeper_rung, setup, teardown),
    cmocka_unit_test_setup_teardown (test_need_words_are_not_rungs, setup, teardown),
    cmocka_unit_test_setup_teardown (test_negated_evidence_does_not_count, setup, teardown),
    cmocka_unit_test_setup_teardown (test_motivation_completes_a_path, setup, teardown),
    cmocka_unit_test_setup_teardown (test_motivation_without_path, setup, teardown),
    cmocka_unit_test_setup_teardown (test_need_inferred_from_two_rungs, setup, teardown),
    cmocka_unit_test_setup_teardown (test_one_rung_does_not_name_a_need, setup, teardown),
    cmocka_unit_test_setup_teardown (test_several_needs_first_stated_wins, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_need_lists_unmatched_clauses, setup, teardown),
    cmocka_unit_test_setup_teardown (test_stopped_at_price, setup, teardown),
    cmocka_unit_test (test_flag_names),
    cmocka_unit_test_setup_teardown (test_second_language_only_with_its_stop_words, setup, teardown),
    cmocka_unit_test_setup_teardown (test_result_reused_without_stale_data, setup, teardown),
    cmocka_unit_test_setup_teardown (test_only_len_bytes_are_read, setup, teardown),
    cmocka_unit_test_setup_teardown (test_too_long_is_an_error, setup, teardown),
    cmocka_unit_test_setup_teardown (test_generation_wraps, setup, teardown),
    cmocka_unit_test (test_index_candidates_are_the_possible_patterns),
    cmocka_unit_test (test_word_patterns_match_as_their_regex),
    cmocka_unit_test (test_family_stated_as_a_fact_is_not_the_motivation),
    cmocka_unit_test (test_family_as_the_reason_ends_the_chain),
  };
  return cmocka_run_group_tests (tests, group_setup, group_teardown);
}
