/* cli-common.c: option parsing, rule loading and messages shared by every
 * command. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli-private.h"

char **cli_rule_paths = NULL;

const GOptionEntry cli_rules_entries[] = {
  { "rules", 'r', 0, G_OPTION_ARG_FILENAME_ARRAY, &cli_rule_paths,
    "Rule file or folder (repeatable); default: $FIVEWHYS_RULES, else the installed rules", "PATH" },
  { NULL }
};

void
cli_error (const char *format, ...)
{
  va_list args;
  va_start (args, format);
  fputs ("fivewhys: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
}

gboolean
cli_parse (const FwCommand *cmd, const char *params, const GOptionEntry *entries, int *argc, char ***argv)
{
  /* GOption starts the usage line with the program name: make it
   * "fivewhys CMD", then list only the arguments. */
  g_autofree char *prgname = g_strdup_printf ("fivewhys %s", cmd->name);
  g_set_prgname (prgname);
  g_autoptr (GOptionContext) context = g_option_context_new (params);
  g_option_context_set_summary (context, cmd->summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_main_entries (context, cli_rules_entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      cli_error ("%s: %s (see 'fivewhys %s --help')", cmd->name, error->message, cmd->name);
      return FALSE;
    }
  return TRUE;
}

void
cli_print_diagnostics (FwLibrary *library, gboolean warnings)
{
  const GPtrArray *diags = fw_library_get_diagnostics (library);
  for (guint i = 0; i < diags->len; i++)
    {
      const FwDiagnostic *d = g_ptr_array_index (diags, i);
      if (d->severity == FW_SEVERITY_WARNING && !warnings)
        continue;
      const char *kind = d->severity == FW_SEVERITY_ERROR ? "error" : "warning";
      if (d->file != NULL && d->line > 0)
        fprintf (stderr, "%s:%d: %s: %s\n", d->file, d->line, kind, d->message);
      else if (d->file != NULL)
        fprintf (stderr, "%s: %s: %s\n", d->file, kind, d->message);
      else
        fprintf (stderr, "fivewhys: %s: %s\n", kind, d->message);
    }
}

static void
add_default_motivations (FwLibrary *library, gboolean *read_ok)
{
  g_auto (GStrv) defaults = fw_default_rule_paths ();
  for (guint i = 0; defaults[i] != NULL; i++)
    {
      const char *names[] = { "motivations.xml", "de/motivations.xml", NULL };
      for (guint n = 0; names[n] != NULL; n++)
        {
          g_autofree char *path = g_file_test (defaults[i], G_FILE_TEST_IS_DIR)
                                      ? g_build_filename (defaults[i], names[n], NULL)
                                      : NULL;
          g_autoptr (GError) error = NULL;
          if (path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR) && !fw_library_add_path (library, path, &error))
            *read_ok = FALSE; /* recorded as a diagnostic */
        }
    }
}

FwLibrary *
cli_open_library (char **paths, gboolean *read_ok)
{
  g_auto (GStrv) defaults = NULL;
  if (paths == NULL || paths[0] == NULL)
    paths = defaults = fw_default_rule_paths ();
  FwLibrary *library = fw_library_new ();
  *read_ok = TRUE;
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      if (!fw_library_add_path (library, paths[i], &error))
        *read_ok = FALSE; /* recorded as a diagnostic */
    }
  if (fw_library_get_n_motivations (library) == 0 && fw_library_get_n_rulesets (library) > 0)
    add_default_motivations (library, read_ok);
  return library;
}

FwLibrary *
cli_load_library (void)
{
  return cli_load_library_full (FALSE);
}

FwLibrary *
cli_load_library_full (gboolean questions)
{
  gboolean read_ok;
  g_autoptr (FwLibrary) library = cli_open_library (cli_rule_paths, &read_ok);
  /* Practice mode needs the question classes: the default ones when the
   * rules named have none, as motivations are added. */
  if (questions && !fw_library_has_questions (library, NULL))
    {
      g_auto (GStrv) defaults = fw_default_rule_paths ();
      for (guint i = 0; defaults[i] != NULL; i++)
        {
          g_autofree char *path = g_build_filename (defaults[i], "questions.xml", NULL);
          g_autoptr (GError) add_error = NULL;
          if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && !fw_library_add_path (library, path, &add_error))
            read_ok = FALSE; /* recorded as a diagnostic */
        }
    }
  g_autoptr (GError) error = NULL;
  gboolean ok = read_ok && fw_library_compile (library, &error);
  if (!ok)
    {
      cli_print_diagnostics (library, FALSE);
      cli_error ("the rules could not be loaded%s%s; 'fivewhys check' shows every problem",
                 error != NULL ? ": " : "", error != NULL ? error->message : "");
      return NULL;
    }
  /* A persona without its ruleset is practice's to explain. */
  if (fw_library_get_n_rulesets (library) == 0 && (!questions || fw_library_get_n_personas (library) == 0))
    {
      cli_error ("no rulesets loaded: name a rules folder with -r or FIVEWHYS_RULES");
      return NULL;
    }
  return g_steal_pointer (&library);
}

void
cli_print_known_needs (FwLibrary *library, FILE *out)
{
  fprintf (out, "known needs:");
  for (guint i = 0; i < fw_library_get_n_rulesets (library); i++)
    {
      FwRuleset *r = fw_library_get_ruleset (library, i);
      fprintf (out, "%s %s (%s)", i > 0 ? "," : "", fw_ruleset_get_id (r), fw_ruleset_get_title (r));
    }
  fputc ('\n', out);
}

int
cli_terminal_width (FILE *out)
{
  struct winsize ws;
  if (isatty (fileno (out)) && ioctl (fileno (out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
    return ws.ws_col;
  const char *columns = g_getenv ("COLUMNS");
  int n = columns != NULL ? atoi (columns) : 0;
  return n >= 20 ? n : 80;
}

void
cli_print_wrapped (FILE *out, const char *lead, const char *text, int indent)
{
  int width = cli_terminal_width (out);
  fputs (lead, out);
  int col = (int) g_utf8_strlen (lead, -1);
  g_auto (GStrv) words = g_strsplit_set (text, " \n\t", -1);
  gboolean first = TRUE;
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      int len = (int) g_utf8_strlen (words[i], -1);
      if (!first && col + 1 + len > width)
        {
          fprintf (out, "\n%*s", indent, "");
          col = indent;
          first = TRUE;
        }
      if (!first)
        {
          fputc (' ', out);
          col++;
        }
      fputs (words[i], out);
      col += len;
      first = FALSE;
    }
  fputc ('\n', out);
}
