/* cli-private.h: what the commands of the fivewhys program share. */
#ifndef FW_CLI_PRIVATE_H
#define FW_CLI_PRIVATE_H

#include <stdio.h>

#include <glib.h>

#include "fivewhys.h"

G_BEGIN_DECLS

/* Exit codes of DESIGN.md. */
enum {
  FW_EXIT_OK = 0,
  FW_EXIT_PROBLEMS = 1, /* check found problems; eval under threshold */
  FW_EXIT_USAGE = 2,
  FW_EXIT_RULES = 3,    /* rules could not be loaded */
  FW_EXIT_INPUT = 4,    /* input or I/O error */
};

/* One command: tmux's cmd_entry. run() gets argv with argv[0] the command
 * name and returns an exit code. */
typedef struct {
  const char *name;
  const char *summary;
  int (*run) (int argc, char **argv);
} FwCommand;

extern const FwCommand fw_cmd_analyze;
extern const FwCommand fw_cmd_check;
extern const FwCommand fw_cmd_ask;
extern const FwCommand fw_cmd_graph;
extern const FwCommand fw_cmd_practice;
extern const FwCommand fw_cmd_prep;
extern const FwCommand fw_cmd_report;
extern const FwCommand fw_cmd_serve;
extern const FwCommand fw_cmd_eval;

/* -r/--rules, shared by every command; NULL-terminated, may be NULL. */
extern char **cli_rule_paths;
extern const GOptionEntry cli_rules_entries[];

/* Parses @argc/@argv with @entries plus --rules. Prints the error and
 * returns FALSE on usage errors. @params names the positional arguments. */
gboolean cli_parse (const FwCommand *cmd, const char *params, const GOptionEntry *entries, int *argc,
                    char ***argv);

/* Loads the rules named by --rules, else $FIVEWHYS_RULES, else the
 * defaults, and compiles them. Prints every diagnostic as file:line; returns
 * NULL (exit FW_EXIT_RULES) when they have errors. */
FwLibrary *cli_load_library (void);
/* The same; with @questions, adds the default question classes when the
 * rules named have none (practice and serve need them). */
FwLibrary *cli_load_library_full (gboolean questions);

/* Loads @paths (NULL: the defaults) into a new library, printing read
 * errors; adds the default motivations when none of the paths has them. */
FwLibrary *cli_open_library (char **paths, gboolean *read_ok);

/* Writes a command's whole output to @path (NULL or "-": standard output).
 * A file is replaced atomically: a temporary file in the same folder, then
 * a rename; on an error nothing is left behind. Prints the error and
 * returns FALSE (exit FW_EXIT_INPUT). (cli-output.c) */
gboolean cli_write_output (const char *path, const char *data, gsize len);

void cli_print_diagnostics (FwLibrary *library, gboolean warnings);
void cli_error (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* Prints the needs the library knows, for "which need did you mean". */
void cli_print_known_needs (FwLibrary *library, FILE *out);

/* The width to wrap text at: the terminal's, else $COLUMNS, else 80. */
int cli_terminal_width (FILE *out);
/* Prints @lead then @text wrapped at the terminal width, continuation lines
 * indented by @indent columns. */
void cli_print_wrapped (FILE *out, const char *lead, const char *text, int indent);

G_END_DECLS

#endif
