/* cmd-ask.c: fivewhys ask: the why-ladder drill. Interactive on a terminal
 * (with line editing when readline is there); scripted when the answers
 * come from a file or a pipe, one answer a line. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_READLINE
#include <readline/history.h>
#include <readline/readline.h>
#endif

#include "cli-private.h"

static char *opt_need = NULL;
static char *opt_answers = NULL;
static gboolean opt_json = FALSE;
static gboolean opt_explain = FALSE;
static int opt_max_misses = 0;

static const GOptionEntry entries[] = {
  { "need", 'n', 0, G_OPTION_ARG_STRING, &opt_need, "What the customer asks for (\"a mortgage\"); else the first answer line", "TEXT" },
  { "answers", 'a', 0, G_OPTION_ARG_FILENAME, &opt_answers, "Read answers from FILE, one a line ('-': standard input)", "FILE" },
  { "json", 'j', 0, G_OPTION_ARG_NONE, &opt_json, "Print the session as JSON", NULL },
  { "explain", 'e', 0, G_OPTION_ARG_NONE, &opt_explain, "Show the pattern that matched each answer and the nearest rungs that did not", NULL },
  { "max-misses", 0, 0, G_OPTION_ARG_INT, &opt_max_misses, "Answers in a row that may match nothing before the session stalls (default 3)", "N" },
  { NULL }
};

typedef struct {
  FILE *in;
  gboolean interactive;
  guint line;        /* lines read so far */
  gboolean too_long; /* the last line was longer than FW_ANSWER_MAX_BYTES */
} AnswerSource;

/* The next answer line without its line end; NULL at the end of input.
 * NUL bytes become spaces (they would cut the answer short). Memory and time
 * stay bounded: reading stops at a line longer than FW_ANSWER_MAX_BYTES (the
 * caller gives up on the input then), with too_long set and "" returned. */
static char *
next_line (AnswerSource *src, const char *prompt)
{
  src->too_long = FALSE;
#ifdef HAVE_READLINE
  if (src->interactive)
    {
      char *line = readline (prompt);
      if (line == NULL)
        return NULL;
      src->line++;
      if (*line != '\0')
        add_history (line);
      src->too_long = strlen (line) > FW_ANSWER_MAX_BYTES;
      char *copy = g_strdup (src->too_long ? "" : line);
      free (line);
      return copy;
    }
#endif
  if (src->interactive)
    {
      fputs (prompt, stdout);
      fflush (stdout);
    }
  GString *line = g_string_new (NULL);
  int c = EOF;
  gboolean any = FALSE;
  while ((c = getc (src->in)) != EOF)
    {
      any = TRUE;
      if (c == '\n')
        break;
      if (line->len >= FW_ANSWER_MAX_BYTES)
        {
          src->too_long = TRUE;
          break;
        }
      g_string_append_c (line, c == '\0' ? ' ' : (char) c);
    }
  if (!any)
    {
      g_string_free (line, TRUE);
      return NULL;
    }
  src->line++;
  if (src->too_long)
    g_string_truncate (line, 0);
  while (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (line, FALSE);
}

/* Says that line src->line is too long; for exit FW_EXIT_INPUT. */
static void
report_too_long (AnswerSource *src)
{
  cli_error ("ask: %s:%u: the line is longer than the limit of %d bytes for an answer",
             opt_answers != NULL && strcmp (opt_answers, "-") != 0 ? opt_answers : "standard input", src->line,
             FW_ANSWER_MAX_BYTES);
}

static void
print_dots (guint depth)
{
  GString *s = g_string_new ("  ");
  for (guint i = 0; i < MAX (5u, depth); i++)
    g_string_append (s, i < depth ? "●" : "○");
  printf ("%s  depth %u\n", s->str, depth);
  g_string_free (s, TRUE);
}

static void
print_step (const FwStep *step, guint number, gboolean show_qa)
{
  if (show_qa)
    printf ("Q%u: %s\nA%u: %s\n", number, step->question, number, step->answer);
  switch (step->kind)
    {
    case FW_STEP_DESCEND:
    case FW_STEP_JUMP:
      printf ("    -> %s (%s): %s  \"%s\"%s\n", fw_rung_get_id (step->rung), fw_level_to_string (fw_rung_get_level (step->rung)),
              fw_rung_get_label (step->rung), step->evidence.text,
              step->kind == FW_STEP_JUMP ? "  [straight to the motivation]" : "");
      break;
    case FW_STEP_NO_MATCH:
      printf ("    -> no rung matched: asking again in other words\n");
      break;
    case FW_STEP_NON_ANSWER:
      printf ("    -> not an answer yet: encouraging\n");
      break;
    }
  if (opt_explain)
    {
      if (step->pattern != NULL)
        {
          printf ("       matched pattern '%s' (%s:%d), score %.2f, words:", step->pattern, step->pattern_file,
                  step->pattern_line, step->score);
          for (guint i = 0; step->words != NULL && step->words[i] != NULL; i++)
            printf (" %s", step->words[i]);
          printf ("\n");
        }
      if (step->explain != NULL && *step->explain != '\0')
        {
          g_auto (GStrv) lines = g_strsplit (step->explain, "\n", -1);
          for (guint i = 0; lines[i] != NULL; i++)
            printf ("       not %s\n", lines[i]);
        }
    }
}

static void
print_summary (FwSession *session)
{
  FwStatus status = fw_session_get_status (session);
  FwMotivation *m = fw_session_get_motivation (session);
  printf ("\nThe ladder (%s):\n  need: %s\n", fw_status_to_string (status), fw_ruleset_get_title (fw_session_get_ruleset (session)));
  for (guint i = 0; i < fw_session_get_n_steps (session); i++)
    {
      const FwStep *step = fw_session_get_step (session, i);
      if (step->rung != NULL)
        printf ("  %s %s (%s)\n", "->", fw_rung_get_label (step->rung), fw_level_to_string (fw_rung_get_level (step->rung)));
    }
  print_dots (fw_session_get_depth (session));
  if (m != NULL)
    {
      printf ("\nMotivation: %s (%s; Schwartz value: %s)\n", fw_motivation_get_label (m), fw_motivation_get_id (m),
              fw_motivation_get_schwartz (m) != NULL ? fw_motivation_get_schwartz (m) : "-");
      if (fw_motivation_get_description (m) != NULL)
        cli_print_wrapped (stdout, "  What they care about: ", fw_motivation_get_description (m), 24);
      if (fw_motivation_get_framing (m) != NULL)
        cli_print_wrapped (stdout, "  How to speak to it:   ", fw_motivation_get_framing (m), 24);
      if (fw_motivation_get_avoid (m) != NULL)
        cli_print_wrapped (stdout, "  Avoid:                ", fw_motivation_get_avoid (m), 24);
    }
  else if (status == FW_STATUS_STALLED)
    printf ("\nNo motivation surfaced: the answers stopped matching. Try another angle next time.\n");
  else
    printf ("\nNo motivation yet: the answers ran out first.\n");
}

static int
run (int argc, char **argv)
{
  if (!cli_parse (&fw_cmd_ask, NULL, entries, &argc, &argv))
    return FW_EXIT_USAGE;
  if (argc > 1)
    {
      cli_error ("ask: unexpected argument '%s' (answers come from --answers FILE or standard input)", argv[1]);
      return FW_EXIT_USAGE;
    }
  AnswerSource src = { stdin, FALSE, 0, FALSE };
  if (opt_answers != NULL && strcmp (opt_answers, "-") != 0)
    {
      src.in = fopen (opt_answers, "r");
      if (src.in == NULL)
        {
          cli_error ("%s: cannot read: %s", opt_answers, g_strerror (errno));
          return FW_EXIT_INPUT;
        }
    }
  else
    src.interactive = opt_answers == NULL && isatty (STDIN_FILENO) && !opt_json;

  g_autoptr (FwLibrary) library = cli_load_library ();
  if (library == NULL)
    {
      if (src.in != stdin)
        fclose (src.in);
      return FW_EXIT_RULES;
    }
  g_autoptr (FwScratch) scratch = fw_scratch_new (library);
  int code = FW_EXIT_OK;

  if (src.interactive)
    printf ("fivewhys drill: answer as your customer would. An empty line or Ctrl-D ends.\n\n");
  g_autofree char *need_text = opt_need != NULL ? g_strdup (opt_need) : next_line (&src, "What is the customer looking for? ");
  if (src.too_long)
    {
      report_too_long (&src);
      if (src.in != stdin)
        fclose (src.in);
      return FW_EXIT_INPUT;
    }
  FwRuleset *ruleset = need_text != NULL ? fw_library_match_need (library, scratch, need_text) : NULL;
  if (ruleset == NULL)
    {
      if (need_text == NULL)
        cli_error ("ask: no need given: use --need TEXT or give it as the first line");
      else
        cli_error ("ask: no ruleset recognises the need '%s'", need_text);
      cli_print_known_needs (library, stderr);
      if (src.in != stdin)
        fclose (src.in);
      return opt_need != NULL ? FW_EXIT_USAGE : FW_EXIT_INPUT;
    }

  g_autoptr (FwSession) session = fw_session_new (library, ruleset, (guint) MAX (0, opt_max_misses));
  if (!opt_json)
    printf ("Need: %s (%s)\n", fw_ruleset_get_title (ruleset), fw_ruleset_get_id (ruleset));
  while (fw_session_get_status (session) == FW_STATUS_ASKING)
    {
      const char *question = fw_session_get_question (session);
      if (src.interactive)
        {
          printf ("\n");
          cli_print_wrapped (stdout, "", question, 0);
        }
      g_autofree char *answer = next_line (&src, src.interactive ? "> " : "");
      if (src.too_long)
        {
          report_too_long (&src);
          if (src.in != stdin)
            fclose (src.in);
          return FW_EXIT_INPUT;
        }
      if (answer == NULL || (src.interactive && *answer == '\0'))
        {
          fw_session_end (session);
          break;
        }
      const FwStep *step = fw_session_answer (session, answer);
      if (step->error != NULL)
        cli_error ("ask: answer %u: %s", fw_session_get_n_steps (session), step->error);
      if (!opt_json)
        {
          print_step (step, fw_session_get_n_steps (session), !src.interactive);
          if (src.interactive)
            print_dots (fw_session_get_depth (session));
        }
    }
  if (ferror (src.in))
    {
      cli_error ("%s: read error: %s", opt_answers != NULL ? opt_answers : "standard input", g_strerror (errno));
      code = FW_EXIT_INPUT;
    }
  if (src.in != stdin)
    fclose (src.in);

  if (opt_json)
    {
      g_autofree char *json = fw_session_to_json (session, opt_explain);
      printf ("%s\n", json);
    }
  else
    print_summary (session);
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      cli_error ("cannot write the output: %s", g_strerror (errno));
      return FW_EXIT_INPUT;
    }
  return code;
}

const FwCommand fw_cmd_ask = {
  "ask",
  "The why-ladder drill: ask why, follow the customer's answers down to a motivation",
  run,
};
