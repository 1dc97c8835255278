/* cmd-prep.c: fivewhys prep: the call-prep script for one need, as text
 * for a terminal, Markdown for a wiki, or a printable HTML page. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli-private.h"

static char *opt_need = NULL;
static char *opt_format = NULL;
static char *opt_output = NULL;
static char *opt_history = NULL;

static const GOptionEntry entries[] = {
  { "need", 'n', 0, G_OPTION_ARG_STRING, &opt_need, "What the customer asks for (\"home loan\", \"a mortgage\") or a ruleset id", "TEXT" },
  { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format, "text (default; wrapped to the terminal), markdown, or html (one printable page)", "FORMAT" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, "Write to FILE (replaced atomically) instead of standard output", "FILE" },
  { "history", 0, 0, G_OPTION_ARG_FILENAME, &opt_history, "Order branches by how often past customers took them, from a report JSON ('fivewhys report --format json')", "REPORT.json" },
  { NULL }
};

/* Columns to wrap text to: $COLUMNS when set, else the terminal's width
 * when standard output is one and is where the script goes, else 80. */
static guint
text_width (void)
{
  const char *env = g_getenv ("COLUMNS");
  if (env != NULL && *env != '\0')
    {
      char *end = NULL;
      long n = strtol (env, &end, 10);
      if (end != NULL && *end == '\0' && n > 0 && n <= 10000)
        return (guint) n;
    }
  struct winsize ws;
  if (opt_output == NULL && isatty (STDOUT_FILENO) && ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

static int
run (int argc, char **argv)
{
  if (!cli_parse (&fw_cmd_prep, NULL, entries, &argc, &argv))
    return FW_EXIT_USAGE;
  if (argc > 1)
    {
      cli_error ("prep: unexpected argument '%s' (name the need with --need TEXT)", argv[1]);
      return FW_EXIT_USAGE;
    }
  if (opt_need == NULL || *opt_need == '\0')
    {
      cli_error ("prep: no need given: use --need TEXT (for example --need \"home loan\")");
      return FW_EXIT_USAGE;
    }
  FwPrepFormat format = FW_PREP_TEXT;
  if (opt_format != NULL && !fw_prep_format_from_string (opt_format, &format))
    {
      cli_error ("prep: unknown format '%s': use text, markdown or html", opt_format);
      return FW_EXIT_USAGE;
    }

  g_autoptr (FwLibrary) library = cli_load_library ();
  if (library == NULL)
    return FW_EXIT_RULES;
  g_autoptr (FwScratch) scratch = fw_scratch_new (library);
  FwRuleset *ruleset = fw_library_match_need (library, scratch, opt_need);
  if (ruleset == NULL)
    {
      cli_error ("prep: no ruleset recognises the need '%s'", opt_need);
      cli_print_known_needs (library, stderr);
      return FW_EXIT_USAGE;
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (FwHistory) history = NULL;
  if (opt_history != NULL)
    {
      history = fw_history_load (opt_history, &error);
      if (history == NULL)
        {
          cli_error ("%s", error->message);
          return FW_EXIT_INPUT;
        }
    }
  FwPrepOptions options = { format, format == FW_PREP_TEXT ? text_width () : 0, history };
  g_autofree char *script = fw_prep_script (library, ruleset, &options, &error);
  if (script == NULL)
    {
      cli_error ("%s", error->message);
      return FW_EXIT_INPUT;
    }
  if (!cli_write_output (opt_output, script, strlen (script)))
    return FW_EXIT_INPUT;
  return FW_EXIT_OK;
}

const FwCommand fw_cmd_prep = {
  "prep",
  "A call-prep script for one need: questions, answers to listen for, how to frame value",
  run,
};
