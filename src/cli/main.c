/* main.c: the fivewhys program dispatches on its first argument to one
 * command; every command lives in its own cmd-*.c file. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli-private.h"

static const FwCommand *commands[] = {
  &fw_cmd_analyze,
  &fw_cmd_ask,
  &fw_cmd_check,
  &fw_cmd_eval,
  &fw_cmd_graph,
  &fw_cmd_practice,
  &fw_cmd_prep,
  &fw_cmd_report,
  &fw_cmd_serve,
};

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: fivewhys COMMAND [OPTION...]\n"
           "\n"
           "Five-whys laddering: from the product a customer asks for down to the life\n"
           "motivation underneath, with XML rule trees matched against free-text answers.\n"
           "\n"
           "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
  fprintf (out,
           "\n"
           "Every command takes -r/--rules PATH (repeatable); FIVEWHYS_RULES works too.\n"
           "'fivewhys COMMAND --help' shows a command's options; 'man fivewhys' has examples.\n"
           "Exit codes: 0 ok, 1 problems found, 2 usage, 3 rules not loaded, 4 input or I/O error.\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  if (argc < 2)
    {
      usage (stderr);
      return FW_EXIT_USAGE;
    }
  const char *name = argv[1];
  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0 || strcmp (name, "help") == 0)
    {
      usage (stdout);
      return FW_EXIT_OK;
    }
  if (strcmp (name, "--version") == 0 || strcmp (name, "-V") == 0)
    {
      printf ("fivewhys %s\n", PACKAGE_VERSION);
      return FW_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i]->name, name) == 0)
      return commands[i]->run (argc - 1, argv + 1);
  cli_error ("unknown command '%s' (see 'fivewhys --help')", name);
  return FW_EXIT_USAGE;
}
