/* cmd-check.c: fivewhys check: loads rule files and says exactly what is
 * wrong with them, running every example and counterexample as a test. */
#include "config.h"

#include <stdio.h>

#include "cli-private.h"

static gboolean opt_strict = FALSE;
static gboolean opt_quiet = FALSE;

static const GOptionEntry entries[] = {
  { "strict", 0, 0, G_OPTION_ARG_NONE, &opt_strict, "Treat warnings as problems (exit 1)", NULL },
  { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "Print problems only, no summary", NULL },
  { NULL }
};

static int
run (int argc, char **argv)
{
  if (!cli_parse (&fw_cmd_check, "[PATH...]", entries, &argc, &argv))
    return FW_EXIT_USAGE;
  g_autoptr (GPtrArray) paths = g_ptr_array_new ();
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (paths, argv[i]);
  for (guint i = 0; cli_rule_paths != NULL && cli_rule_paths[i] != NULL; i++)
    g_ptr_array_add (paths, cli_rule_paths[i]);
  g_ptr_array_add (paths, NULL);

  gboolean read_ok;
  g_autoptr (FwLibrary) library = cli_open_library ((char **) paths->pdata, &read_ok);
  if (fw_library_compile (library, NULL))
    {
      fw_library_run_examples (library);
      fw_library_lint_questions (library);
    }
  cli_print_diagnostics (library, TRUE);
  guint errors = fw_library_count_diagnostics (library, FW_SEVERITY_ERROR);
  guint warnings = fw_library_count_diagnostics (library, FW_SEVERITY_WARNING);
  if (!opt_quiet)
    fprintf (stderr, "%u ruleset%s, %u error%s, %u warning%s\n", fw_library_get_n_rulesets (library),
             fw_library_get_n_rulesets (library) == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
             warnings == 1 ? "" : "s");
  if (!read_ok || errors > 0 || (opt_strict && warnings > 0))
    return FW_EXIT_PROBLEMS;
  return FW_EXIT_OK;
}

const FwCommand fw_cmd_check = {
  "check",
  "Check rule files: schema, references, levels, patterns, and examples as tests",
  run,
};
