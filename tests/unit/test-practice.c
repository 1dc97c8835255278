/* test-practice.c: question classes and the practice state machine.
 *
 * Classification runs on the shipped rules/questions.xml, since telling a
 * trainee's questions apart is what that file is for. The state machine
 * runs on small personas written here, down the test ruleset of the
 * practice cases (tests/cases/practice/loan-ruleset.xml: need -> money ->
 * purchase -> provide -> love, and money -> own-home -> security), so that
 * every threshold it crosses is named in the test.
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
#define LOAN_RULESET TOP_SRCDIR "/tests/cases/practice/loan-ruleset.xml"

static char *tmp_dir;
static FwLibrary *library;
static FwScratch *scratch;

/* Every persona of the state machine tests. Phrasings are "say-RUNG-N" so
 * a test can tell which rung a reply revealed. */
static const char *const personas[] = {
  /* open: starts at 1, reveals at 0, two rungs from 3 */
  "<persona id='open' need='loan' name='Olive' temperament='open'>"
  "  <opening>I need a loan.</opening>"
  "  <path>"
  "    <step rung='money'><say>say-money-1</say><say>say-money-2</say></step>"
  "    <step rung='purchase'><say>say-purchase-1</say></step>"
  "    <step rung='provide'><say>say-provide-1</say></step>"
  "    <step rung='love'><say>say-love-1</say></step>"
  "  </path>"
  "  <reply to='closed'>closed-1</reply><reply to='closed'>closed-2</reply>"
  "  <reply to='pitch'>cooler-1</reply><reply to='hangup'>bye</reply>"
  "  <reply to='leading'>guarded-1</reply><reply to='hold'>hold-1</reply>"
  "</persona>",
  /* guarded: starts at -1, reveals from 1, leaves at 2 pitches */
  "<persona id='guarded' need='loan' name='Gus' temperament='guarded'>"
  "  <opening>Loan.</opening>"
  "  <path>"
  "    <step rung='money'><say>say-money-1</say></step>"
  "    <step rung='own-home'><say>say-own-home-1</say></step>"
  "    <step rung='security'><say>say-security-1</say></step>"
  "  </path>"
  "  <reply to='hold'>hold-1</reply><reply to='hangup'>bye</reply>"
  "</persona>",
  /* busy, with only three questions to give */
  "<persona id='busy' need='loan' name='Bea' temperament='busy'>"
  "  <opening>Quick, a loan.</opening>"
  "  <warmth turns='3'/>"
  "  <path>"
  "    <step rung='money'><say>say-money-1</say></step>"
  "    <step rung='own-home'><say>say-own-home-1</say></step>"
  "    <step rung='security'><say>say-security-1</say></step>"
  "  </path>"
  "  <reply to='timeout'>gotta-go</reply>"
  "</persona>",
  /* several openings, for the seed */
  "<persona id='chatty' need='loan' name='Cat' temperament='open'>"
  "  <opening>one</opening><opening>two</opening><opening>three</opening><opening>four</opening>"
  "  <path>"
  "    <step rung='money'><say>m1</say><say>m2</say><say>m3</say><say>m4</say></step>"
  "    <step rung='own-home'><say>o1</say><say>o2</say><say>o3</say><say>o4</say></step>"
  "    <step rung='security'><say>s1</say><say>s2</say><say>s3</say><say>s4</say></step>"
  "  </path>"
  "</persona>",
};

static char *
write_file (const char *name, const char *body)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *text = g_strconcat ("<?xml version='1.0' encoding='UTF-8'?>\n", body, "\n", NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static int
group_setup (void **state)
{
  tmp_dir = g_dir_make_tmp ("fivewhys-practice-XXXXXX", NULL);
  if (tmp_dir == NULL)
    return -1;
  library = fw_library_new ();
  GError *error = NULL;
  gboolean ok = fw_library_add_path (library, SHIPPED_RULES "/motivations.xml", &error)
                && fw_library_add_path (library, SHIPPED_RULES "/questions.xml", &error)
                && fw_library_add_path (library, LOAN_RULESET, &error);
  for (guint i = 0; ok && i < G_N_ELEMENTS (personas); i++)
    {
      g_autofree char *name = g_strdup_printf ("persona-%u.xml", i);
      g_autofree char *path = write_file (name, personas[i]);
      ok = fw_library_add_path (library, path, &error);
    }
  if (!ok || !fw_library_compile (library, &error))
    {
      const GPtrArray *diags = fw_library_get_diagnostics (library);
      for (guint i = 0; i < diags->len; i++)
        {
          const FwDiagnostic *d = g_ptr_array_index (diags, i);
          fprintf (stderr, "%s:%d: %s\n", d->file, d->line, d->message);
        }
      fprintf (stderr, "the practice fixture does not load: %s\n", error != NULL ? error->message : "?");
      g_clear_error (&error);
      return -1;
    }
  scratch = fw_scratch_new (library);
  return 0;
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static int
group_teardown (void **state)
{
  fw_scratch_free (scratch);
  fw_library_free (library);
  remove_dir (tmp_dir);
  g_free (tmp_dir);
  return 0;
}

/* ---- classification ------------------------------------------------------ */

static FwQuestionClass
classify (const char *question, guint *also)
{
  return fw_library_classify_question (library, scratch, "en", question, also);
}

static void
assert_class (const char *question, FwQuestionClass want)
{
  guint also;
  FwQuestionClass got = classify (question, &also);
  if (got != want)
    fail_msg ("\"%s\" is taken for %s, not %s", question, fw_question_class_to_string (got),
              fw_question_class_to_string (want));
}

static void
test_open_probes_are_open (void **state)
{
  assert_class ("Why is that important to you?", FW_QUESTION_OPEN_PROBE);
  assert_class ("What would that give you?", FW_QUESTION_OPEN_PROBE);
  assert_class ("Tell me more.", FW_QUESTION_OPEN_PROBE);
  assert_class ("How come?", FW_QUESTION_OPEN_PROBE);
  assert_class ("What's behind that?", FW_QUESTION_OPEN_PROBE);
}

static void
test_closed_questions_are_closed (void **state)
{
  assert_class ("Do you have kids?", FW_QUESTION_CLOSED);
  assert_class ("Is it for your first home?", FW_QUESTION_CLOSED);
  assert_class ("Are you renting at the moment?", FW_QUESTION_CLOSED);
  assert_class ("How much do you want to borrow?", FW_QUESTION_CLOSED);
}

static void
test_leading_questions_are_leading (void **state)
{
  assert_class ("Wouldn't you agree that a fixed rate is safer?", FW_QUESTION_LEADING);
  assert_class ("Isn't it really about the money?", FW_QUESTION_LEADING);
  assert_class ("So it's because of the kids, right?", FW_QUESTION_LEADING);
}

static void
test_pitches_are_pitches (void **state)
{
  assert_class ("Our product has the lowest rate on the market.", FW_QUESTION_PITCH);
  assert_class ("We offer a 20% discount.", FW_QUESTION_PITCH);
  assert_class ("You could sign today.", FW_QUESTION_PITCH);
}

static void
test_empathy_summary_and_off_topic (void **state)
{
  assert_class ("That makes sense.", FW_QUESTION_EMPATHY);
  assert_class ("I hear you.", FW_QUESTION_EMPATHY);
  assert_class ("That sounds stressful.", FW_QUESTION_EMPATHY);
  assert_class ("So what I'm hearing is you want your own place.", FW_QUESTION_SUMMARY);
  assert_class ("Let me make sure I've got this: it's about the kids.", FW_QUESTION_SUMMARY);
  assert_class ("How was your weekend?", FW_QUESTION_OFF_TOPIC);
}

static void
test_empathy_with_a_probe_is_a_probe_with_warmth (void **state)
{
  guint also = 0;
  assert_int_equal (classify ("That sounds stressful. What would change if you had it?", &also),
                    FW_QUESTION_OPEN_PROBE);
  assert_true (also & (1u << FW_QUESTION_EMPATHY));
}

static void
test_a_pitch_spoils_a_probe (void **state)
{
  guint also = 0;
  assert_int_equal (classify ("What would our fixed rate give you?", &also), FW_QUESTION_PITCH);
  assert_true (also & (1u << FW_QUESTION_OPEN_PROBE));
}

static void
test_negation_does_not_hide_a_probe (void **state)
{
  assert_class ("Why don't you tell me more about that?", FW_QUESTION_OPEN_PROBE);
}

static void
test_unmatched_is_off_topic (void **state)
{
  guint also = 99;
  assert_int_equal (classify ("Hmm.", &also), FW_QUESTION_OFF_TOPIC);
  assert_int_equal (also, 0);
  assert_int_equal (classify ("", &also), FW_QUESTION_OFF_TOPIC);
  assert_int_equal (classify ("Why \xff\xfe is that\xc3?", &also), FW_QUESTION_OPEN_PROBE);
}

static void
test_no_questions_for_a_language_is_off_topic (void **state)
{
  assert_false (fw_library_has_questions (library, "de"));
  assert_true (fw_library_has_questions (library, "en"));
  assert_int_equal (fw_library_classify_question (library, scratch, "de", "Warum?", NULL), FW_QUESTION_OFF_TOPIC);
}

static void
test_class_names_round_trip (void **state)
{
  for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
    {
      FwQuestionClass back;
      assert_true (fw_question_class_from_string (fw_question_class_to_string (c), &back));
      assert_int_equal (back, c);
    }
  FwQuestionClass none;
  assert_false (fw_question_class_from_string ("rhetorical", &none));
}

/* ---- personas ------------------------------------------------------------- */

static void
test_personas_load_with_their_ladder (void **state)
{
  assert_int_equal (fw_library_get_n_personas (library), G_N_ELEMENTS (personas));
  FwPersona *open = fw_library_find_persona (library, "open");
  assert_non_null (open);
  assert_string_equal (fw_persona_get_name (open), "Olive");
  assert_string_equal (fw_persona_get_need (open), "loan");
  assert_int_equal (fw_persona_get_temperament (open), FW_TEMPERAMENT_OPEN);
  assert_ptr_equal (fw_persona_get_ruleset (open), fw_library_find_ruleset (library, "loan"));
  assert_int_equal (fw_persona_get_n_rungs (open), 4);
  assert_string_equal (fw_rung_get_id (fw_persona_get_rung (open, 3)), "love");
  /* the guarded one ends at the shared motivation layer */
  FwPersona *guarded = fw_library_find_persona (library, "guarded");
  assert_int_equal (fw_rung_get_level (fw_persona_get_rung (guarded, 2)), FW_LEVEL_MOTIVATION);
  assert_null (fw_library_find_persona (library, "nobody"));
}

/* Loads @persona with the test ruleset into a library of its own and
 * returns the first diagnostic of @severity as "line: message". */
static char *
first_diagnostic (const char *persona, FwSeverity severity)
{
  g_autofree char *path = write_file ("check.xml", persona);
  g_autoptr (FwLibrary) lib = fw_library_new ();
  fw_library_add_path (lib, SHIPPED_RULES "/motivations.xml", NULL);
  fw_library_add_path (lib, LOAN_RULESET, NULL);
  fw_library_add_path (lib, path, NULL);
  fw_library_compile (lib, NULL);
  const GPtrArray *diags = fw_library_get_diagnostics (lib);
  for (guint i = 0; i < diags->len; i++)
    {
      const FwDiagnostic *d = g_ptr_array_index (diags, i);
      if (d->severity == severity && g_str_has_suffix (d->file, "check.xml"))
        return g_strdup_printf ("%d: %s", d->line, d->message);
    }
  return g_strdup ("none");
}

static void
test_a_broken_path_is_an_error_at_its_step (void **state)
{
  g_autofree char *got = first_diagnostic ("<persona id='b' need='loan' name='B' temperament='open'>\n"
                                           "<opening>x</opening>\n"
                                           "<path>\n"
                                           "<step rung='money'><say>money</say></step>\n"
                                           "<step rung='provide'><say>provide</say></step>\n"
                                           "</path></persona>",
                                           FW_SEVERITY_ERROR);
  assert_string_equal (got, "6: persona 'b': rung 'provide' is not below 'money' in ruleset 'loan' (below it: purchase, own-home)");
}

static void
test_a_path_must_end_at_a_motivation (void **state)
{
  g_autofree char *got = first_diagnostic ("<persona id='s' need='loan' name='S' temperament='open'>\n"
                                           "<opening>x</opening>\n"
                                           "<path>\n"
                                           "<step rung='money'><say>money</say></step>\n"
                                           "</path></persona>",
                                           FW_SEVERITY_ERROR);
  assert_string_equal (got, "5: persona 's': the path ends at 'money' (function): it must end at a motivation rung");
}

static void
test_a_persona_without_its_ruleset_is_a_warning (void **state)
{
  g_autofree char *path = write_file ("elsewhere.xml", "<persona id='e' need='boat' name='E' temperament='open'>"
                                                       "<opening>x</opening><path><step rung='money'><say>m</say></step></path>"
                                                       "</persona>");
  g_autoptr (FwLibrary) lib = fw_library_new ();
  fw_library_add_path (lib, SHIPPED_RULES "/motivations.xml", NULL);
  fw_library_add_path (lib, path, NULL);
  assert_true (fw_library_compile (lib, NULL));
  assert_int_equal (fw_library_count_diagnostics (lib, FW_SEVERITY_WARNING), 1);
  FwPersona *persona = fw_library_find_persona (lib, "e");
  assert_null (fw_persona_get_ruleset (persona));
  assert_int_equal (fw_persona_get_n_rungs (persona), 0);
}

/* ---- the state machine ----------------------------------------------------- */

static FwPractice *
practice_with (const char *persona_id, guint64 seed)
{
  FwPersona *persona = fw_library_find_persona (library, persona_id);
  assert_non_null (persona);
  return fw_practice_new (library, persona, seed);
}

static void
test_an_open_probe_reveals_the_next_rung (void **state)
{
  g_autoptr (FwPractice) p = practice_with ("open", 1);
  assert_string_equal (fw_practice_get_opening (p), "I need a loan.");
  const FwPracticeTurn *turn = fw_practice_ask (p, "Why do you need a loan?");
  assert_int_equal (turn->number, 1);
  assert_int_equal (turn->klass, FW_QUESTION_OPEN_PROBE);
  assert_int_equal (turn->n_revealed, 1);
  assert_string_equal (fw_rung_get_id (turn->revealed[0]), "money");
  assert_null (turn->revealed[1]);
  assert_true (g_str_has_prefix (turn->reply, "say-money-"));
  assert_int_equal (fw_practice_get_depth (p), 1);
  assert_int_equal (fw_practice_get_status (p), FW_PRACTICE_TALKING);
}

static void
test_a_closed_question_reveals_nothing (void **state)
{
  g_autoptr (FwPractice) p = practice_with ("open", 1);
  const FwPracticeTurn *turn = fw_practice_ask (p, "Do you have a deposit?");
  assert_int_equal (turn->klass, FW_QUESTION_CLOSED);
  assert_int_equal (turn->n_revealed, 0);
  assert_true (g_str_has_prefix (turn->reply, "closed-"));
  /* never the same phrasing twice in a row */
  const char *first = turn->reply;
  turn = fw_practice_ask (p, "Is it for a house?");
  assert_string_not_equal (turn->reply, first);
  assert_int_equal (fw_practice_get_depth (p), 0);
  assert_int_equal (fw_practice_get_count (p, FW_QUESTION_CLOSED), 2);
}

static void
test_a_warm_customer_tells_two_rungs (void **state)
{
  g_autoptr (FwPractice) p = practice_with ("open", 1);
  fw_practice_ask (p, "That makes sense.");                  /* 1 -> 2 */
  const FwPracticeTurn *turn = fw_practice_ask (p, "I hear you. Why is that?"); /* 3: open-up */
  assert_int_equal (turn->warmth, 3);
  assert_int_equal (turn->n_revealed, 2);
  assert_string_equal (fw_rung_get_id (turn->revealed[1]), "purchase");
  assert_string_equal (turn->reply + strlen (turn->reply) - strlen ("say-purchase-1"), "say-purchase-1");
  assert_int_equal (fw_practice_get_warming (p), 2);
}

static void
test_reaching_the_motivation_ends_the_call (void **state)
{
  g_autoptr (FwPractice) p = practice_with ("open", 1);
  for (guint i = 0; i < 4; i++)
    fw_practice_ask (p, "Why?");
  assert_int_equal (fw_practice_get_status (p), FW_PRACTICE_REACHED);
  assert_int_equal (fw_practice_get_depth (p), 4);
  assert_string_equal (fw_motivation_get_id (fw_practice_get_motivation (p)), "family");
  assert_null (fw_practice_ask (p, "Why?"));
  assert_int_equal (fw_practice_get_n_turns (p), 4);
}

static void
test_a_guarded_customer_needs_warmth_first (void **state)
{
  g_autoptr (FwPractice) p = practice_with ("guarded", 1);
  assert_int_equal (fw_practice_get_warmth (p), -1);
  const FwPracticeTurn *turn = fw_practice_ask (p, "Why do you need a loan?");
  assert_string_equal (turn->reply, "hold-1");
  assert_int_equal (turn->n_revealed, 0);
  turn = fw_practice_ask (p, "That makes sense. What's behind that?"); /* 0: still cool */
  assert_int_equal (turn->n_revealed, 0);
  turn = fw_practice_ask (p, "I hear you. What would the money give you?"); /* 1: reveals */
  assert_int_equal (turn->n_revealed, 1);
  assert_string_equal (turn->reply, "say-money-1");
  assert_int_equal (fw_practice_get_holds (p), 2);
}

static void
test_repeated_pitches_end_the_call (void **state)
{
  g_autoptr (FwPractice) p = practice_with ("open", 1);
  fw_practice_ask (p, "Why do you need a loan?");
  const FwPracticeTurn *turn = fw_practice_ask (p, "Our rates are the lowest.");
  assert_int_equal (turn->klass, FW_QUESTION_PITCH);
  assert_string_equal (turn->reply, "cooler-1");
  assert_int_equal (turn->warmth, -1);
  assert_int_equal (fw_practice_get_first_pitch (p), 2);
  fw_practice_ask (p, "We offer a discount.");
  assert_int_equal (fw_practice_get_status (p), FW_PRACTICE_TALKING);
  turn = fw_practice_ask (p, "Sign today.");
  assert_string_equal (turn->reply, "bye");
  assert_int_equal (fw_practice_get_status (p), FW_PRACTICE_LOST);
  assert_int_equal (fw_practice_get_count (p, FW_QUESTION_PITCH), 3);
  assert_null (fw_practice_ask (p, "Why?"));
}

static void
test_a_guarded_customer_leaves_at_the_second_pitch (void **state)
{
  g_autoptr (FwPractice) p = practice_with ("guarded", 1);
  fw_practice_ask (p, "Our product is great.");
  assert_int_equal (fw_practice_get_status (p), FW_PRACTICE_TALKING);
  fw_practice_ask (p, "We offer the best rates.");
  assert_int_equal (fw_practice_get_status (p), FW_PRACTICE_LOST);
}

static void
test_a_leading_question_cools_and_guards (void **state)
{
  g_autoptr (FwPractice) p = practice_with ("open", 1);
  const FwPracticeTurn *turn = fw_practice_ask (p, "Isn't it really about the money?");
  assert_int_equal (turn->klass, FW_QUESTION_LEADING);
  assert_string_equal (turn->reply, "guarded-1");
  assert_int_equal (turn->warmth, 0);
  assert_int_equal (turn->n_revealed, 0);
}

static void
test_a_busy_customer_runs_out_of_time (void **state)
{
  g_autoptr (FwPractice) p = practice_with ("busy", 1);
  fw_practice_ask (p, "Do you have a deposit?");
  fw_practice_ask (p, "Is it for a house?");
  const FwPracticeTurn *turn = fw_practice_ask (p, "Why do you need it?");
  assert_int_equal (turn->n_revealed, 1);
  assert_string_equal (turn->reply, "say-money-1 gotta-go");
  assert_int_equal (fw_practice_get_status (p), FW_PRACTICE_OUT_OF_TIME);
}

static void
test_ending_the_call (void **state)
{
  g_autoptr (FwPractice) p = practice_with ("open", 1);
  fw_practice_ask (p, "Why?");
  fw_practice_end (p);
  assert_int_equal (fw_practice_get_status (p), FW_PRACTICE_ENDED);
  assert_null (fw_practice_get_motivation (p));
  assert_null (fw_practice_ask (p, "Why?"));
}

static char *
transcript (guint64 seed)
{
  g_autoptr (FwPractice) p = practice_with ("chatty", seed);
  fw_practice_ask (p, "Do you have kids?");
  fw_practice_ask (p, "Why?");
  fw_practice_ask (p, "Is it a house?");
  fw_practice_ask (p, "What would that give you?");
  return fw_practice_to_json (p);
}

static void
test_the_same_seed_gives_the_same_call (void **state)
{
  g_autofree char *a = transcript (42);
  g_autofree char *b = transcript (42);
  assert_string_equal (a, b);
  /* ... and some other seed another one, among a few */
  gboolean differs = FALSE;
  for (guint64 seed = 1; seed < 8 && !differs; seed++)
    {
      g_autofree char *c = transcript (seed << 40);
      differs = strcmp (a, c) != 0;
    }
  assert_true (differs);
}

static void
test_json_holds_transcript_and_scorecard (void **state)
{
  g_autoptr (FwPractice) p = practice_with ("open", 9);
  fw_practice_ask (p, "Why do you need a loan?");
  fw_practice_ask (p, "Our product is great.");
  g_autofree char *json = fw_practice_to_json (p);
  g_autoptr (JsonParser) parser = json_parser_new ();
  assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  assert_string_equal (json_object_get_string_member (root, "persona"), "open");
  assert_int_equal (json_object_get_int_member (root, "seed"), 9);
  assert_string_equal (json_object_get_string_member (root, "status"), "talking");
  JsonArray *turns = json_object_get_array_member (root, "transcript");
  assert_int_equal (json_array_get_length (turns), 2);
  JsonObject *first = json_array_get_object_element (turns, 0);
  assert_string_equal (json_object_get_string_member (first, "class"), "open-probe");
  JsonObject *card = json_object_get_object_member (root, "scorecard");
  assert_int_equal (json_object_get_int_member (card, "depth"), 1);
  assert_int_equal (json_object_get_int_member (card, "ladder"), 4);
  assert_int_equal (json_object_get_int_member (card, "first_pitch"), 2);
  assert_false (json_object_get_boolean_member (card, "motivation_surfaced"));
  JsonObject *counts = json_object_get_object_member (card, "questions");
  assert_int_equal (json_object_get_int_member (counts, "pitch"), 1);
  JsonArray *advice = json_object_get_array_member (card, "advice");
  assert_in_range (json_array_get_length (advice), 2, 3);
  assert_string_equal (json_object_get_string_member (json_array_get_object_element (advice, 0), "id"),
                       "pitched-early");
}

static void
test_advice_follows_what_happened (void **state)
{
  g_autoptr (FwPractice) p = practice_with ("open", 1);
  for (guint i = 0; i < 4; i++)
    fw_practice_ask (p, "Do you have a deposit?");
  const char *const *advice = fw_practice_get_advice (p);
  assert_non_null (advice[0]);
  assert_string_equal (advice[0], "4 of your 4 questions were closed: they get a yes or a no and reveal nothing new. "
                                  "Turn \"Do you...?\" into \"What would... give you?\" or \"Why is that important?\"");
  guint n = 0;
  while (advice[n] != NULL)
    n++;
  assert_in_range (n, 2, 3);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_open_probes_are_open),
    cmocka_unit_test (test_closed_questions_are_closed),
    cmocka_unit_test (test_leading_questions_are_leading),
    cmocka_unit_test (test_pitches_are_pitches),
    cmocka_unit_test (test_empathy_summary_and_off_topic),
    cmocka_unit_test (test_empathy_with_a_probe_is_a_probe_with_warmth),
    cmocka_unit_test (test_a_pitch_spoils_a_probe),
    cmocka_unit_test (test_negation_does_not_hide_a_probe),
    cmocka_unit_test (test_unmatched_is_off_topic),
    cmocka_unit_test (test_no_questions_for_a_language_is_off_topic),
    cmocka_unit_test (test_class_names_round_trip),
    cmocka_unit_test (test_personas_load_with_their_ladder),
    cmocka_unit_test (test_a_broken_path_is_an_error_at_its_step),
    cmocka_unit_test (test_a_path_must_end_at_a_motivation),
    cmocka_unit_test (test_a_persona_without_its_ruleset_is_a_warning),
    cmocka_unit_test (test_an_open_probe_reveals_the_next_rung),
    cmocka_unit_test (test_a_closed_question_reveals_nothing),
    cmocka_unit_test (test_a_warm_customer_tells_two_rungs),
    cmocka_unit_test (test_reaching_the_motivation_ends_the_call),
    cmocka_unit_test (test_a_guarded_customer_needs_warmth_first),
    cmocka_unit_test (test_repeated_pitches_end_the_call),
    cmocka_unit_test (test_a_guarded_customer_leaves_at_the_second_pitch),
    cmocka_unit_test (test_a_leading_question_cools_and_guards),
    cmocka_unit_test (test_a_busy_customer_runs_out_of_time),
    cmocka_unit_test (test_ending_the_call),
    cmocka_unit_test (test_the_same_seed_gives_the_same_call),
    cmocka_unit_test (test_json_holds_transcript_and_scorecard),
    cmocka_unit_test (test_advice_follows_what_happened),
  };
  return cmocka_run_group_tests_name ("practice", tests, group_setup, group_teardown);
}
