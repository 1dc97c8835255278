/* test-session.c: the why-ladder state machine.
 *
 * Seed 004 runs on the shipped rules (rules/home-loan.xml with
 * rules/motivations.xml), since reproducing it is what those rules are for.
 * Every other case runs on the small fixture tests/data/rules/{bike,
 * motivations}.xml, whose questions, reprompts and encouragements it can
 * name exactly.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fivewhys.h"
#include "fw-private.h"

#define SHIPPED_RULES TOP_SRCDIR "/rules"
#define TEST_RULES TOP_SRCDIR "/tests/data/rules"

static FwLibrary *home_loan_library; /* shipped motivations and home loan */
static FwLibrary *bike_library;      /* the test fixture */

typedef struct
{
  FwLibrary *library;
  FwRuleset *ruleset;
  FwSession *session;
  const FwStep *step; /* the last one taken */
  char *text;         /* the last text asserted on */
} Fixture;

static FwLibrary *
load (const char *first, const char *second)
{
  GError *error = NULL;
  FwLibrary *library = fw_library_new ();
  if (!fw_library_add_path (library, first, &error) || !fw_library_add_path (library, second, &error)
      || !fw_library_compile (library, &error))
    {
      fprintf (stderr, "%s and %s do not load: %s\n", first, second, error != NULL ? error->message : "?");
      g_clear_error (&error);
      fw_library_free (library);
      return NULL;
    }
  return library;
}

static int
group_setup (void **state)
{
  home_loan_library = load (SHIPPED_RULES "/motivations.xml", SHIPPED_RULES "/home-loan.xml");
  bike_library = load (TEST_RULES "/motivations.xml", TEST_RULES "/bike.xml");
  return home_loan_library != NULL && bike_library != NULL ? 0 : -1;
}

static int
group_teardown (void **state)
{
  fw_library_free (home_loan_library);
  fw_library_free (bike_library);
  return 0;
}

static int
start (void **state, FwLibrary *library, const char *ruleset_id, guint max_misses)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->library = library;
  f->ruleset = fw_library_find_ruleset (library, ruleset_id);
  if (f->ruleset == NULL)
    return -1;
  f->session = fw_session_new (library, f->ruleset, max_misses);
  *state = f;
  return 0;
}

static int
setup_home_loan (void **state)
{
  return start (state, home_loan_library, "home-loan", 0);
}

static int
setup_bike (void **state)
{
  return start (state, bike_library, "bike", 0);
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  fw_session_free (f->session);
  g_free (f->text);
  g_free (f);
  return 0;
}

static const FwStep *
answer (Fixture *f, const char *text)
{
  f->step = fw_session_answer (f->session, text);
  assert_non_null (f->step);
  return f->step;
}

/* Answers @text and asserts the session descends (or jumps) to @rung. */
static void
answer_reaches (Fixture *f, const char *text, FwStepKind kind, const char *rung)
{
  answer (f, text);
  if (f->step->rung == NULL)
    fail_msg ("\"%s\" reached no rung; expected '%s'", text, rung);
  if (strcmp (fw_rung_get_id (f->step->rung), rung) != 0)
    fail_msg ("\"%s\" reached '%s'; expected '%s'", text, fw_rung_get_id (f->step->rung), rung);
  assert_int_equal (f->step->kind, kind);
}

static gboolean
is_one_of (const GPtrArray *list, const char *text)
{
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (g_ptr_array_index (list, i), text) == 0)
      return TRUE;
  return FALSE;
}

static FwLangLayer *
layer (Fixture *f)
{
  return g_hash_table_lookup (f->library->langs, f->ruleset->lang);
}

/* ---- Seed 004: the chain of the home loan --------------------------------------------- */

static void
test_seed_004_reaches_family_at_depth_five (void **state)
{
  Fixture *f = *state;
  static const char *const answers[][2] = {
    { "They need money.", "money" },
    { "They wish to make a purchase.", "purchase" },
    { "They want to progress in life.", "progress" },
    { "They want to provide for their family.", "provide" },
    { "They care for, love, and want the best for their family.", "love" },
  };
  assert_string_equal (fw_session_get_question (f->session), "Why do you need a home loan?");
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      assert_int_equal (fw_session_get_status (f->session), FW_STATUS_ASKING);
      answer_reaches (f, answers[i][0], FW_STEP_DESCEND, answers[i][1]);
      assert_int_equal (fw_session_get_depth (f->session), i + 1);
    }
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_REACHED);
  assert_string_equal (fw_status_to_string (fw_session_get_status (f->session)), "reached");
  assert_int_equal (fw_session_get_depth (f->session), 5);
  assert_non_null (fw_session_get_motivation (f->session));
  assert_string_equal (fw_motivation_get_id (fw_session_get_motivation (f->session)), "family");
  assert_string_equal (fw_rung_get_id (fw_session_get_rung (f->session)), "love");
  assert_null (fw_session_get_question (f->session));
  assert_int_equal (fw_session_get_n_steps (f->session), 5);
}

/* In a drill, "the kids" answers "why does that matter?": the bare family
 * word is the family motivation there (<pattern in="answers">), though a
 * deal note must say more (test-note). */
static void
test_a_bare_family_word_answers_why (void **state)
{
  Fixture *f = *state;
  answer_reaches (f, "They need money.", FW_STEP_DESCEND, "money");
  answer_reaches (f, "They wish to make a purchase.", FW_STEP_DESCEND, "purchase");
  answer_reaches (f, "They want to progress in life.", FW_STEP_DESCEND, "progress");
  answer (f, "The kids.");
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_REACHED);
  assert_string_equal (fw_motivation_get_id (fw_session_get_motivation (f->session)), "family");
}

static void
test_seed_004_levels_follow_the_means_end_chain (void **state)
{
  Fixture *f = *state;
  static const char *const answers[] = {
    "They need money.",
    "They wish to make a purchase.",
    "They want to progress in life.",
    "They want to provide for their family.",
    "They care for, love, and want the best for their family.",
  };
  static const FwLevel levels[]
      = { FW_LEVEL_FUNCTION, FW_LEVEL_FUNCTION, FW_LEVEL_BENEFIT, FW_LEVEL_BENEFIT, FW_LEVEL_MOTIVATION };
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      answer (f, answers[i]);
      assert_non_null (f->step->rung);
      assert_int_equal (fw_rung_get_level (f->step->rung), levels[i]);
    }
}

static void
test_seed_004_questions_follow_the_ladder (void **state)
{
  Fixture *f = *state;
  answer (f, "They need money.");
  /* The question asked next is one of the money rung's own. */
  assert_true (is_one_of (fw_rung_get_asks (fw_session_get_rung (f->session)), fw_session_get_question (f->session)));
  assert_string_equal (fw_session_get_step (f->session, 0)->question, "Why do you need a home loan?");
  const char *asked = fw_session_get_question (f->session);
  char *copy = g_strdup (asked);
  answer (f, "They wish to make a purchase.");
  assert_string_equal (fw_session_get_step (f->session, 1)->question, copy);
  g_free (copy);
}

/* ---- Questions ------------------------------------------------------------------------------ */

static void
test_first_question_is_the_rulesets_first_ask (void **state)
{
  Fixture *f = *state;
  assert_string_equal (fw_session_get_question (f->session), "Why do you want a bike?");
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_ASKING);
  assert_string_equal (fw_status_to_string (FW_STATUS_ASKING), "asking");
  assert_int_equal (fw_session_get_depth (f->session), 0);
  assert_null (fw_session_get_rung (f->session));
  assert_null (fw_session_get_motivation (f->session));
}

static void
test_descending_asks_the_rungs_first_question (void **state)
{
  Fixture *f = *state;
  answer_reaches (f, "so I can ride to work", FW_STEP_DESCEND, "commute");
  assert_string_equal (fw_session_get_question (f->session), "Why ride to work?");
  assert_int_equal (fw_session_get_depth (f->session), 1);
}

static void
test_never_the_same_question_twice_in_a_row (void **state)
{
  Fixture *f = *state;
  fw_session_free (f->session);
  f->session = fw_session_new (f->library, f->ruleset, 50);
  char *previous = g_strdup (fw_session_get_question (f->session));
  for (int i = 0; i < 20; i++)
    {
      answer (f, i % 3 == 0 ? "no idea" : "the weather is nice today");
      const char *now = fw_session_get_question (f->session);
      assert_non_null (now);
      if (strcmp (now, previous) == 0)
        fail_msg ("\"%s\" asked twice in a row (after answer %d)", now, i + 1);
      g_free (previous);
      previous = g_strdup (now);
    }
  g_free (previous);
}

static void
test_reprompts_use_other_words (void **state)
{
  Fixture *f = *state;
  answer (f, "the weather is nice today");
  assert_int_equal (f->step->kind, FW_STEP_NO_MATCH);
  const char *again = fw_session_get_question (f->session);
  assert_string_not_equal (again, "Why do you want a bike?");
  /* The need's other question, or a generic reprompt: not an encouragement. */
  assert_true (is_one_of (fw_ruleset_get_asks (f->ruleset), again) || is_one_of (layer (f)->reprompts, again));
  assert_false (is_one_of (layer (f)->encourages, again));
}

static void
test_i_dont_know_gets_an_encouragement (void **state)
{
  Fixture *f = *state;
  answer (f, "I don't know");
  assert_int_equal (f->step->kind, FW_STEP_NON_ANSWER);
  assert_null (f->step->rung);
  const char *next = fw_session_get_question (f->session);
  if (!is_one_of (layer (f)->encourages, next))
    fail_msg ("after \"I don't know\" the session asks \"%s\", not an encouragement", next);
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_ASKING);
}

static void
test_two_non_answers_get_two_different_encouragements (void **state)
{
  Fixture *f = *state;
  answer (f, "no idea");
  char *first = g_strdup (fw_session_get_question (f->session));
  answer (f, "dunno");
  const char *second = fw_session_get_question (f->session);
  assert_true (is_one_of (layer (f)->encourages, first));
  assert_true (is_one_of (layer (f)->encourages, second));
  assert_string_not_equal (first, second);
  g_free (first);
}

static void
test_blank_answer_is_a_non_answer (void **state)
{
  Fixture *f = *state;
  answer (f, "   ");
  assert_int_equal (f->step->kind, FW_STEP_NON_ANSWER);
  answer (f, "");
  assert_int_equal (f->step->kind, FW_STEP_NON_ANSWER);
}

/* With no reprompts at all, the session still never repeats itself. */
static void
test_a_single_question_is_not_repeated_when_there_is_nothing_else (void **state)
{
  (void)state;
  char *dir = g_dir_make_tmp ("fivewhys-session-XXXXXX", NULL);
  char *motivations = g_build_filename (dir, "motivations.xml", NULL);
  char *rules = g_build_filename (dir, "one.xml", NULL);
  g_file_set_contents (motivations,
                       "<motivations lang=\"en\"><motivation id=\"health\" label=\"Health\">"
                       "<description>d</description><framing>f</framing><pattern>healthy</pattern>"
                       "</motivation></motivations>",
                       -1, NULL);
  g_file_set_contents (rules,
                       "<ruleset id=\"one\" lang=\"en\" title=\"One\"><need><pattern>one</pattern></need>"
                       "<ask>Why one?</ask><rung id=\"r\" level=\"benefit\" label=\"R\"><pattern>r</pattern>"
                       "<ask>Why r?</ask><motivation ref=\"health\"/></rung></ruleset>",
                       -1, NULL);
  FwLibrary *library = load (motivations, rules);
  g_unlink (motivations);
  g_unlink (rules);
  g_rmdir (dir);
  g_free (motivations);
  g_free (rules);
  g_free (dir);
  assert_non_null (library);
  FwSession *session = fw_session_new (library, fw_library_find_ruleset (library, "one"), 10);
  char *previous = g_strdup (fw_session_get_question (session));
  assert_string_equal (previous, "Why one?");
  for (int i = 0; i < 6; i++)
    {
      fw_session_answer (session, i % 2 ? "I don't know" : "blue");
      const char *now = fw_session_get_question (session);
      assert_non_null (now);
      assert_string_not_equal (now, previous);
      g_free (previous);
      previous = g_strdup (now);
    }
  g_free (previous);
  fw_session_free (session);
  fw_library_free (library);
}

/* ---- Ends ----------------------------------------------------------------------------------- */

static void
test_non_answers_stall_with_no_motivation (void **state)
{
  Fixture *f = *state;
  answer (f, "no idea");
  answer (f, "dunno");
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_ASKING);
  answer (f, "pass");
  assert_int_equal (f->step->kind, FW_STEP_NON_ANSWER);
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_STALLED);
  assert_string_equal (fw_status_to_string (FW_STATUS_STALLED), "stalled");
  assert_null (fw_session_get_motivation (f->session));
  assert_null (fw_session_get_rung (f->session));
  assert_int_equal (fw_session_get_depth (f->session), 0);
  assert_null (fw_session_get_question (f->session));
}

static void
test_stalls_after_max_misses_in_a_row (void **state)
{
  Fixture *f = *state;
  fw_session_free (f->session);
  f->session = fw_session_new (f->library, f->ruleset, 2);
  answer (f, "the weather");
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_ASKING);
  answer (f, "the sea");
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_STALLED);
}

static void
test_a_match_resets_the_misses (void **state)
{
  Fixture *f = *state;
  answer (f, "the weather");
  answer (f, "the sea");
  answer_reaches (f, "so I can ride to work", FW_STEP_DESCEND, "commute");
  answer (f, "the weather");
  answer (f, "the sea");
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_ASKING);
  answer (f, "the sky");
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_STALLED);
  /* Stalled where it got to: the rung stays, no motivation appears. */
  assert_string_equal (fw_rung_get_id (fw_session_get_rung (f->session)), "commute");
  assert_int_equal (fw_session_get_depth (f->session), 1);
  assert_null (fw_session_get_motivation (f->session));
}

static void
test_ended_when_the_answers_run_out (void **state)
{
  Fixture *f = *state;
  answer_reaches (f, "so I can ride to work", FW_STEP_DESCEND, "commute");
  fw_session_end (f->session);
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_ENDED);
  assert_string_equal (fw_status_to_string (FW_STATUS_ENDED), "ended");
  assert_null (fw_session_get_question (f->session));
  assert_null (fw_session_get_motivation (f->session));
  assert_int_equal (fw_session_get_depth (f->session), 1);
}

static void
test_ending_a_reached_session_keeps_it_reached (void **state)
{
  Fixture *f = *state;
  answer_reaches (f, "it's for the kids", FW_STEP_JUMP, "family");
  fw_session_end (f->session);
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_REACHED);
}

static void
test_answers_after_the_end_do_not_move_the_ladder (void **state)
{
  Fixture *f = *state;
  answer_reaches (f, "it's for the kids", FW_STEP_JUMP, "family");
  answer (f, "so I can ride to work");
  assert_int_equal (f->step->kind, FW_STEP_NO_MATCH);
  assert_null (f->step->rung);
  assert_int_equal (fw_session_get_depth (f->session), 1);
  assert_string_equal (fw_motivation_get_id (fw_session_get_motivation (f->session)), "family");
}

/* ---- Skipping rungs ------------------------------------------------------------------------- */

static void
test_naming_a_motivation_jumps_straight_to_it (void **state)
{
  Fixture *f = *state;
  answer_reaches (f, "it's for the kids", FW_STEP_JUMP, "family");
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_REACHED);
  assert_string_equal (fw_motivation_get_id (fw_session_get_motivation (f->session)), "family");
  assert_int_equal (fw_rung_get_level (f->step->rung), FW_LEVEL_MOTIVATION);
  assert_string_equal (f->step->evidence.text, "kids");
  assert_int_equal (fw_session_get_depth (f->session), 1);
}

static void
test_a_deeper_rung_is_reached_without_its_parents (void **state)
{
  Fixture *f = *state;
  answer_reaches (f, "I'd get some exercise", FW_STEP_DESCEND, "exercise");
  assert_string_equal (fw_session_get_question (f->session), "Why does the exercise matter to you?");
}

static void
test_a_motivation_rung_of_the_tree_beats_the_shared_layer (void **state)
{
  Fixture *f = *state;
  answer_reaches (f, "I just want to be healthy", FW_STEP_DESCEND, "wellbeing");
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_REACHED);
  assert_string_equal (fw_motivation_get_id (fw_session_get_motivation (f->session)), "health");
}

static void
test_a_shared_rung_is_reached_from_either_parent (void **state)
{
  Fixture *f = *state;
  answer_reaches (f, "so I can ride to work", FW_STEP_DESCEND, "commute");
  answer_reaches (f, "I want it insured", FW_STEP_DESCEND, "insured");
  answer_reaches (f, "peace of mind", FW_STEP_JUMP, "security");
  assert_string_equal (fw_motivation_get_id (fw_session_get_motivation (f->session)), "security");
  assert_int_equal (fw_session_get_depth (f->session), 3);
}

static void
test_session_may_start_at_a_rung (void **state)
{
  Fixture *f = *state;
  FwRung *exercise = g_hash_table_lookup (f->ruleset->rung_by_id, "exercise");
  FwSession *session = fw_session_new_at (f->library, f->ruleset, exercise, 0);
  assert_string_equal (fw_session_get_question (session), "Why does the exercise matter to you?");
  const FwStep *step = fw_session_answer (session, "I feel great after a ride");
  assert_non_null (step->rung);
  assert_string_equal (fw_rung_get_id (step->rung), "wellbeing");
  assert_int_equal (fw_session_get_status (session), FW_STATUS_REACHED);
  fw_session_free (session);
}

static void
test_never_invents_a_motivation (void **state)
{
  Fixture *f = *state;
  static const char *const answers[] = { "hmm", "the weather", "I like blue", "whatever", "nope" };
  fw_session_free (f->session);
  f->session = fw_session_new (f->library, f->ruleset, 10);
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      answer (f, answers[i]);
      assert_null (f->step->rung);
    }
  fw_session_end (f->session);
  assert_int_equal (fw_session_get_status (f->session), FW_STATUS_ENDED);
  assert_null (fw_session_get_motivation (f->session));
}

/* ---- What a step tells ------------------------------------------------------------------------ */

static void
test_step_quotes_the_evidence_from_the_answer (void **state)
{
  Fixture *f = *state;
  const char *text = "Honestly? So I can CYCLE to work, mostly.";
  answer_reaches (f, text, FW_STEP_DESCEND, "commute");
  assert_string_equal (f->step->answer, text);
  assert_string_equal (f->step->question, "Why do you want a bike?");
  assert_string_equal (f->step->evidence.text, "CYCLE to work");
  assert_int_equal (f->step->evidence.start, 19);
  assert_int_equal (f->step->evidence.end, 32);
}

static void
test_step_names_the_pattern_and_the_words_it_matched (void **state)
{
  Fixture *f = *state;
  answer_reaches (f, "so I can ride to the office", FW_STEP_DESCEND, "commute");
  assert_string_equal (f->step->pattern, "[ride cycle] to ~job");
  assert_string_equal (f->step->pattern_file, TEST_RULES "/bike.xml");
  assert_int_equal (f->step->pattern_line, 17);
  assert_true (f->step->score > 0);
  g_free (f->text);
  f->text = g_strjoinv (" ", f->step->words);
  assert_string_equal (f->text, "ride to the offic");
}

static void
test_step_explains_the_nearest_rungs_that_did_not_match (void **state)
{
  Fixture *f = *state;
  answer (f, "I would never cycle to work");
  assert_int_equal (f->step->kind, FW_STEP_NO_MATCH);
  assert_non_null (f->step->explain);
  /* The nearest is the rung whose pattern matched inside a negation. */
  assert_true (g_str_has_prefix (
      f->step->explain, "commute: '[ride cycle] to ~job' matched \"cycle to work\" only inside a negated clause"));
  assert_non_null (strchr (f->step->explain, '\n'));
}

static void
test_invalid_utf8_answer_is_kept_as_valid_utf8 (void **state)
{
  Fixture *f = *state;
  answer_reaches (f, "so I can \xff\xfe ride to work \xc3", FW_STEP_DESCEND, "commute");
  assert_true (g_utf8_validate (f->step->answer, -1, NULL));
  assert_true (g_utf8_validate (f->step->evidence.text, -1, NULL));
  assert_string_equal (f->step->evidence.text, "ride to work");
  char *json = fw_session_to_json (f->session, TRUE);
  assert_true (g_utf8_validate (json, -1, NULL));
  g_free (json);
}

/* ---- JSON ----------------------------------------------------------------------------------- */

static void
test_json_has_the_shape_of_the_design (void **state)
{
  Fixture *f = *state;
  answer (f, "no idea");
  answer_reaches (f, "so I can ride to work", FW_STEP_DESCEND, "commute");
  char *json = fw_session_to_json (f->session, FALSE);
  JsonParser *parser = json_parser_new ();
  GError *error = NULL;
  assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_free (json);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  assert_string_equal (json_object_get_string_member (root, "need"), "bike");
  assert_int_equal (json_object_get_int_member (root, "depth"), 1);
  assert_true (json_object_get_null_member (root, "motivation"));
  assert_string_equal (json_object_get_string_member (root, "status"), "asking");
  JsonArray *steps = json_object_get_array_member (root, "steps");
  assert_int_equal (json_array_get_length (steps), 2);
  JsonObject *miss = json_array_get_object_element (steps, 0);
  assert_string_equal (json_object_get_string_member (miss, "question"), "Why do you want a bike?");
  assert_string_equal (json_object_get_string_member (miss, "answer"), "no idea");
  assert_true (json_object_get_null_member (miss, "rung"));
  assert_true (json_object_get_null_member (miss, "level"));
  assert_true (json_object_get_null_member (miss, "evidence"));
  JsonObject *hit = json_array_get_object_element (steps, 1);
  assert_string_equal (json_object_get_string_member (hit, "rung"), "commute");
  assert_string_equal (json_object_get_string_member (hit, "level"), "function");
  JsonObject *evidence = json_object_get_object_member (hit, "evidence");
  assert_int_equal (json_object_get_int_member (evidence, "start"), 9);
  assert_int_equal (json_object_get_int_member (evidence, "end"), 21);
  assert_string_equal (json_object_get_string_member (evidence, "text"), "ride to work");
  /* Without explain, no pattern details. */
  assert_false (json_object_has_member (hit, "pattern"));
  g_object_unref (parser);
}

static void
test_json_with_explain_names_the_pattern (void **state)
{
  Fixture *f = *state;
  answer_reaches (f, "so I can ride to work", FW_STEP_DESCEND, "commute");
  char *json = fw_session_to_json (f->session, TRUE);
  JsonParser *parser = json_parser_new ();
  assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  g_free (json);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonObject *step = json_array_get_object_element (json_object_get_array_member (root, "steps"), 0);
  assert_string_equal (json_object_get_string_member (step, "pattern"), "[ride cycle] to ~job");
  g_free (f->text);
  f->text = g_strdup_printf ("%s/bike.xml:17", TEST_RULES);
  assert_string_equal (json_object_get_string_member (step, "pattern_at"), f->text);
  assert_true (json_object_has_member (step, "words"));
  assert_true (json_object_has_member (step, "nearest"));
  g_object_unref (parser);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
#define H(name) cmocka_unit_test_setup_teardown (name, setup_home_loan, teardown)
#define B(name) cmocka_unit_test_setup_teardown (name, setup_bike, teardown)
    H (test_seed_004_reaches_family_at_depth_five),
    H (test_seed_004_levels_follow_the_means_end_chain),
    H (test_a_bare_family_word_answers_why),
    H (test_seed_004_questions_follow_the_ladder),
    B (test_first_question_is_the_rulesets_first_ask),
    B (test_descending_asks_the_rungs_first_question),
    B (test_never_the_same_question_twice_in_a_row),
    B (test_reprompts_use_other_words),
    B (test_i_dont_know_gets_an_encouragement),
    B (test_two_non_answers_get_two_different_encouragements),
    B (test_blank_answer_is_a_non_answer),
    B (test_a_single_question_is_not_repeated_when_there_is_nothing_else),
    B (test_non_answers_stall_with_no_motivation),
    B (test_stalls_after_max_misses_in_a_row),
    B (test_a_match_resets_the_misses),
    B (test_ended_when_the_answers_run_out),
    B (test_ending_a_reached_session_keeps_it_reached),
    B (test_answers_after_the_end_do_not_move_the_ladder),
    B (test_naming_a_motivation_jumps_straight_to_it),
    B (test_a_deeper_rung_is_reached_without_its_parents),
    B (test_a_motivation_rung_of_the_tree_beats_the_shared_layer),
    B (test_a_shared_rung_is_reached_from_either_parent),
    B (test_session_may_start_at_a_rung),
    B (test_never_invents_a_motivation),
    B (test_step_quotes_the_evidence_from_the_answer),
    B (test_step_names_the_pattern_and_the_words_it_matched),
    B (test_step_explains_the_nearest_rungs_that_did_not_match),
    B (test_invalid_utf8_answer_is_kept_as_valid_utf8),
    B (test_json_has_the_shape_of_the_design),
    B (test_json_with_explain_names_the_pattern),
#undef H
#undef B
  };
  return cmocka_run_group_tests (tests, group_setup, group_teardown);
}
