/* cmd-practice.c: fivewhys practice: the engine plays a customer with a
 * hidden ladder, the trainee asks the questions, and a scorecard says how
 * deep they got. Interactive on a terminal (with line editing when readline
 * is there); scripted when the questions come from a file or a pipe, one
 * question a line. The engine is the library's (fw_practice_*); this file
 * only reads questions and prints. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_READLINE
#include <readline/history.h>
#include <readline/readline.h>
#endif

#include <json-glib/json-glib.h>

#include "cli-private.h"

static char *opt_persona = NULL;
static char *opt_need = NULL;
static char *opt_questions = NULL;
static char *opt_seed = NULL;
static gboolean opt_json = FALSE;
static gboolean opt_list = FALSE;

static const GOptionEntry entries[] = {
  { "persona", 'p', 0, G_OPTION_ARG_STRING, &opt_persona, "The customer to play (see --list)", "ID" },
  { "need", 'n', 0, G_OPTION_ARG_STRING, &opt_need, "A need (\"a mortgage\"): one of its customers, chosen by the seed", "TEXT" },
  { "questions", 'q', 0, G_OPTION_ARG_FILENAME, &opt_questions, "Read the trainee's questions from FILE, one a line ('-': standard input)", "FILE" },
  { "json", 'j', 0, G_OPTION_ARG_NONE, &opt_json, "Print the transcript and the scorecard as JSON, for trainers", NULL },
  { "seed", 's', 0, G_OPTION_ARG_STRING, &opt_seed, "Seed of the customer's choices: the same seed and questions give the same call", "N" },
  { "list", 'l', 0, G_OPTION_ARG_NONE, &opt_list, "List the customers and exit", NULL },
  { NULL }
};

typedef struct {
  FILE *in;
  gboolean interactive;
} QuestionSource;

/* The next question without its line end; NULL at the end of input. In a
 * script, blank lines and lines starting with '#' are skipped. */
static char *
next_question (QuestionSource *src)
{
  for (;;)
    {
      char *question = NULL;
#ifdef HAVE_READLINE
      if (src->interactive)
        {
          char *line = readline ("You: ");
          if (line == NULL)
            return NULL;
          if (*line != '\0')
            add_history (line);
          question = g_strdup (line);
          free (line);
          return question;
        }
#endif
      if (src->interactive)
        {
          fputs ("You: ", stdout);
          fflush (stdout);
        }
      char *line = NULL;
      size_t cap = 0;
      ssize_t n = getline (&line, &cap, src->in);
      if (n < 0)
        {
          free (line);
          return NULL;
        }
      while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
      question = g_strndup (line, n);
      free (line);
      if (src->interactive)
        return question;
      g_strstrip (question);
      if (*question != '\0' && *question != '#')
        return question;
      g_free (question);
    }
}

/* "open probe" for "open-probe". */
static char *
class_words (FwQuestionClass klass)
{
  char *words = g_strdup (fw_question_class_to_string (klass));
  g_strdelimit (words, "-", ' ');
  return words;
}

static void
print_list (FwLibrary *library)
{
  guint n = fw_library_get_n_personas (library);
  if (opt_json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          FwPersona *persona = fw_library_get_persona (library, i);
          FwRuleset *ruleset = fw_persona_get_ruleset (persona);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "persona");
          json_builder_add_string_value (b, fw_persona_get_id (persona));
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, fw_persona_get_name (persona));
          json_builder_set_member_name (b, "need");
          json_builder_add_string_value (b, fw_persona_get_need (persona));
          json_builder_set_member_name (b, "practisable");
          json_builder_add_boolean_value (b, ruleset != NULL);
          json_builder_set_member_name (b, "temperament");
          json_builder_add_string_value (b, fw_temperament_to_string (fw_persona_get_temperament (persona)));
          json_builder_set_member_name (b, "description");
          if (fw_persona_get_description (persona) != NULL)
            json_builder_add_string_value (b, fw_persona_get_description (persona));
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      g_autofree char *json = json_to_string (root, FALSE);
      printf ("%s\n", json);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      FwPersona *persona = fw_library_get_persona (library, i);
      FwRuleset *ruleset = fw_persona_get_ruleset (persona);
      printf ("%-32s %-20s %-8s %s%s\n", fw_persona_get_id (persona), fw_persona_get_need (persona),
              fw_temperament_to_string (fw_persona_get_temperament (persona)), fw_persona_get_name (persona),
              ruleset != NULL ? "" : " (cannot be practised: its ruleset is not loaded)");
    }
}

/* The persona to play: --persona, else one of --need's, else any, chosen
 * by @seed among the practisable ones. Prints why when there is none. */
static FwPersona *
choose_persona (FwLibrary *library, guint64 seed, int *code)
{
  if (opt_persona != NULL)
    {
      FwPersona *persona = fw_library_find_persona (library, opt_persona);
      if (persona == NULL)
        {
          cli_error ("practice: no customer '%s' (see 'fivewhys practice --list')", opt_persona);
          *code = FW_EXIT_USAGE;
        }
      else if (fw_persona_get_ruleset (persona) == NULL)
        {
          cli_error ("practice: customer '%s' needs the ruleset '%s', which is not loaded (add it with -r)",
                     opt_persona, fw_persona_get_need (persona));
          *code = FW_EXIT_RULES;
          persona = NULL;
        }
      return persona;
    }
  FwRuleset *ruleset = NULL;
  if (opt_need != NULL)
    {
      g_autoptr (FwScratch) scratch = fw_scratch_new (library);
      ruleset = fw_library_match_need (library, scratch, opt_need);
      if (ruleset == NULL)
        {
          cli_error ("practice: no ruleset recognises the need '%s'", opt_need);
          cli_print_known_needs (library, stderr);
          *code = FW_EXIT_USAGE;
          return NULL;
        }
    }
  g_autoptr (GPtrArray) pool = g_ptr_array_new ();
  for (guint i = 0; i < fw_library_get_n_personas (library); i++)
    {
      FwPersona *persona = fw_library_get_persona (library, i);
      FwRuleset *its = fw_persona_get_ruleset (persona);
      if (its != NULL && (ruleset == NULL || its == ruleset))
        g_ptr_array_add (pool, persona);
    }
  if (pool->len == 0)
    {
      if (ruleset != NULL)
        cli_error ("practice: no customer is written for the need '%s' yet (see rules/personas/)",
                   fw_ruleset_get_id (ruleset));
      else
        cli_error ("practice: no customers loaded: name a rules folder with personas (-r rules/)");
      *code = FW_EXIT_RULES;
      return NULL;
    }
  g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32) (seed ^ (seed >> 32)));
  return g_ptr_array_index (pool, (guint) g_rand_int_range (rand, 0, (gint32) pool->len));
}

static void
print_dots (guint depth, guint ladder)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < ladder; i++)
    g_string_append (s, i < depth ? "●" : "○");
  printf ("    %s  depth %u of %u\n", s->str, depth, ladder);
  g_string_free (s, TRUE);
}

static void
print_turn (FwPractice *practice, const FwPracticeTurn *turn, gboolean echo)
{
  g_autofree char *klass = class_words (turn->klass);
  GString *also = g_string_new (NULL);
  for (guint c = 0; c < FW_QUESTION_N_CLASSES; c++)
    if ((turn->also & (1u << c)) && (c == FW_QUESTION_EMPATHY || c == FW_QUESTION_SUMMARY))
      {
        g_autofree char *words = class_words (c);
        g_string_append_printf (also, " + %s", words);
      }
  if (echo)
    printf ("\nQ%u [%s%s] %s\n", turn->number, klass, also->str, turn->question);
  else
    printf ("    [%s%s]\n", klass, also->str);
  g_string_free (also, TRUE);
  cli_print_wrapped (stdout, "Customer: ", turn->reply, 10);
  for (guint i = 0; i < turn->n_revealed; i++)
    printf ("    -> %s (%s): %s\n", fw_rung_get_id (turn->revealed[i]),
            fw_level_to_string (fw_rung_get_level (turn->revealed[i])), fw_rung_get_label (turn->revealed[i]));
  if (turn->n_revealed > 0)
    print_dots (turn->depth, fw_persona_get_n_rungs (fw_practice_get_persona (practice)));
}

static void
print_scorecard (FwPractice *practice)
{
  FwPersona *persona = fw_practice_get_persona (practice);
  FwPracticeStatus status = fw_practice_get_status (practice);
  FwMotivation *m = fw_practice_get_motivation (practice);
  guint turns = fw_practice_get_n_turns (practice);
  printf ("\nScorecard\n");
  switch (status)
    {
    case FW_PRACTICE_REACHED:
      printf ("  outcome:     the motivation surfaced: %s (%s)\n", fw_motivation_get_label (m), fw_motivation_get_id (m));
      break;
    case FW_PRACTICE_LOST:
      printf ("  outcome:     the customer ended the call on turn %u\n", turns);
      break;
    case FW_PRACTICE_OUT_OF_TIME:
      printf ("  outcome:     the customer ran out of time after %u questions\n", turns);
      break;
    case FW_PRACTICE_TALKING:
    case FW_PRACTICE_ENDED:
      printf ("  outcome:     the call ended before the motivation surfaced\n");
      break;
    }
  printf ("  depth:       %u of %u rungs\n", fw_practice_get_depth (practice), fw_persona_get_n_rungs (persona));
  printf ("  turns:       %u\n", turns);
  printf ("  questions:   open probe %u, closed %u, leading %u, pitch %u, empathy %u, summary %u, off-topic %u\n",
          fw_practice_get_count (practice, FW_QUESTION_OPEN_PROBE), fw_practice_get_count (practice, FW_QUESTION_CLOSED),
          fw_practice_get_count (practice, FW_QUESTION_LEADING), fw_practice_get_count (practice, FW_QUESTION_PITCH),
          fw_practice_get_count (practice, FW_QUESTION_EMPATHY), fw_practice_get_count (practice, FW_QUESTION_SUMMARY),
          fw_practice_get_count (practice, FW_QUESTION_OFF_TOPIC));
  if (fw_practice_get_first_pitch (practice) > 0)
    printf ("  first pitch: turn %u\n", fw_practice_get_first_pitch (practice));
  else
    printf ("  first pitch: none\n");
  printf ("  warmed up:   %u question%s (acknowledgements, summaries)\n", fw_practice_get_warming (practice),
          fw_practice_get_warming (practice) == 1 ? "" : "s");
  if (fw_practice_get_holds (practice) > 0)
    printf ("  held back:   %u time%s (not warm enough for the probe)\n", fw_practice_get_holds (practice),
            fw_practice_get_holds (practice) == 1 ? "" : "s");
  printf ("  warmth:      %d at the end\n", fw_practice_get_warmth (practice));
  const char *const *advice = fw_practice_get_advice (practice);
  if (advice[0] != NULL)
    printf ("\nAdvice\n");
  for (guint i = 0; advice[i] != NULL; i++)
    cli_print_wrapped (stdout, "  - ", advice[i], 4);
  printf ("\nReplay this call with --seed %" G_GUINT64_FORMAT ".\n", fw_practice_get_seed (practice));
}

static int
run (int argc, char **argv)
{
  if (!cli_parse (&fw_cmd_practice, NULL, entries, &argc, &argv))
    return FW_EXIT_USAGE;
  if (argc > 1)
    {
      cli_error ("practice: unexpected argument '%s' (questions come from --questions FILE or standard input)", argv[1]);
      return FW_EXIT_USAGE;
    }
  if (opt_persona != NULL && opt_need != NULL)
    {
      cli_error ("practice: give --persona or --need, not both");
      return FW_EXIT_USAGE;
    }
  guint64 seed = 0;
  if (opt_seed != NULL)
    {
      g_autoptr (GError) error = NULL;
      if (!g_ascii_string_to_unsigned (opt_seed, 10, 0, G_MAXINT64, &seed, &error))
        {
          cli_error ("practice: --seed '%s': a whole number from 0 to %" G_GINT64_FORMAT " is needed", opt_seed, G_MAXINT64);
          return FW_EXIT_USAGE;
        }
    }
  else
    seed = g_random_int ();

  g_autoptr (FwLibrary) library = cli_load_library_full (TRUE);
  if (library == NULL)
    return FW_EXIT_RULES;
  if (opt_list)
    {
      print_list (library);
      return FW_EXIT_OK;
    }
  int code = FW_EXIT_OK;
  FwPersona *persona = choose_persona (library, seed, &code);
  if (persona == NULL)
    return code;
  if (!fw_library_has_questions (library, fw_ruleset_get_lang (fw_persona_get_ruleset (persona))))
    {
      cli_error ("practice: no question classes for language '%s': add rules/questions.xml to the rules",
                 fw_ruleset_get_lang (fw_persona_get_ruleset (persona)));
      return FW_EXIT_RULES;
    }

  QuestionSource src = { stdin, FALSE };
  if (opt_questions != NULL && strcmp (opt_questions, "-") != 0)
    {
      src.in = fopen (opt_questions, "r");
      if (src.in == NULL)
        {
          cli_error ("%s: cannot read: %s", opt_questions, g_strerror (errno));
          return FW_EXIT_INPUT;
        }
    }
  else
    src.interactive = opt_questions == NULL && isatty (STDIN_FILENO) && !opt_json;

  g_autoptr (FwPractice) practice = fw_practice_new (library, persona, seed);
  FwRuleset *ruleset = fw_persona_get_ruleset (persona);
  if (!opt_json)
    {
      printf ("Practice call: %s (%s; %s, %s)\n", fw_persona_get_name (persona), fw_persona_get_id (persona),
              fw_ruleset_get_title (ruleset), fw_temperament_to_string (fw_persona_get_temperament (persona)));
      if (src.interactive)
        printf ("You are the seller: find out why they want this. An empty line or Ctrl-D ends the call.\n");
      printf ("\n");
      cli_print_wrapped (stdout, "Customer: ", fw_practice_get_opening (practice), 10);
    }
  while (fw_practice_get_status (practice) == FW_PRACTICE_TALKING)
    {
      if (src.interactive)
        printf ("\n");
      g_autofree char *question = next_question (&src);
      if (question == NULL || (src.interactive && *question == '\0'))
        {
          fw_practice_end (practice);
          break;
        }
      const FwPracticeTurn *turn = fw_practice_ask (practice, question);
      if (!opt_json)
        print_turn (practice, turn, !src.interactive);
    }
  /* A script that goes on after the call ended: say so, once. */
  guint unasked = 0;
  if (!src.interactive && fw_practice_get_status (practice) != FW_PRACTICE_ENDED)
    for (char *rest; (rest = next_question (&src)) != NULL; g_free (rest))
      unasked++;
  if (unasked > 0 && !opt_json)
    printf ("\n(%u more question%s not asked: the call was over)\n", unasked, unasked == 1 ? "" : "s");
  if (ferror (src.in))
    {
      cli_error ("%s: read error: %s", opt_questions != NULL ? opt_questions : "standard input", g_strerror (errno));
      code = FW_EXIT_INPUT;
    }
  if (src.in != stdin)
    fclose (src.in);

  if (opt_json)
    {
      g_autofree char *json = fw_practice_to_json (practice);
      printf ("%s\n", json);
    }
  else
    print_scorecard (practice);
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      cli_error ("cannot write the output: %s", g_strerror (errno));
      return FW_EXIT_INPUT;
    }
  return code;
}

const FwCommand fw_cmd_practice = {
  "practice",
  "Practice mode: the engine plays a customer, you ask the questions, a scorecard says how deep you got",
  run,
};
