/* cmd-serve.c: fivewhys serve: the drill and practice mode in a browser,
 * for a classroom. Loads the rules, starts the server of serve.c on the
 * address given (loopback unless --bind says otherwise), prints the address
 * to open, and serves until SIGINT or SIGTERM. */
#include "config.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <glib-unix.h>

#include "cli-private.h"
#include "serve-private.h"

static char *opt_bind = NULL;
static int opt_port = 8080;
static int opt_max_sessions = 1000;
static int opt_max_per_client = 100;
static int opt_idle = 3600;
static int opt_max_age = 8 * 3600;

static const GOptionEntry entries[] = {
  { "bind", 'b', 0, G_OPTION_ARG_STRING, &opt_bind,
    "Address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every network it is on)", "ADDRESS" },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "Port to listen on (default 8080; 0: any free port)", "PORT" },
  { "max-sessions", 0, 0, G_OPTION_ARG_INT, &opt_max_sessions, "Sessions held at once (default 1000)", "N" },
  { "max-per-client", 0, 0, G_OPTION_ARG_INT, &opt_max_per_client,
    "Sessions one client address may hold at once (default 100)", "N" },
  { "idle", 0, 0, G_OPTION_ARG_INT, &opt_idle, "Drop a session unused for this many seconds (default 3600)", "SECONDS" },
  { "max-age", 0, 0, G_OPTION_ARG_INT, &opt_max_age, "Drop a session this many seconds old (default 28800)", "SECONDS" },
  { NULL }
};

static char *
url_for (GInetAddress *address, guint port)
{
  g_autofree char *host = g_inet_address_to_string (address);
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("http://[%s]:%u/", host, port);
  return g_strdup_printf ("http://%s:%u/", host, port);
}

/* Prints the addresses trainees can open when the server listens on every
 * address: this machine's non-loopback IPv4 addresses (IPv6 too when bound
 * to ::). */
static void
print_lan_urls (GSocketFamily family, guint port)
{
  struct ifaddrs *list = NULL;
  guint printed = 0;
  if (getifaddrs (&list) == 0)
    {
      for (struct ifaddrs *ifa = list; ifa != NULL; ifa = ifa->ifa_next)
        {
          if (ifa->ifa_addr == NULL
              || (ifa->ifa_addr->sa_family != AF_INET && (family != G_SOCKET_FAMILY_IPV6 || ifa->ifa_addr->sa_family != AF_INET6)))
            continue;
          gsize len = ifa->ifa_addr->sa_family == AF_INET ? sizeof (struct sockaddr_in) : sizeof (struct sockaddr_in6);
          g_autoptr (GSocketAddress) sa = g_socket_address_new_from_native (ifa->ifa_addr, len);
          if (sa == NULL || !G_IS_INET_SOCKET_ADDRESS (sa))
            continue;
          GInetAddress *address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (sa));
          if (g_inet_address_get_is_loopback (address) || g_inet_address_get_is_link_local (address))
            continue;
          g_autofree char *url = url_for (address, port);
          printf ("  %s\n", url);
          printed++;
        }
      freeifaddrs (list);
    }
  if (printed == 0)
    printf ("  http://<this machine's address>:%u/\n", port);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
check_range (const char *option, int value, int low, int high)
{
  if (value >= low && value <= high)
    return TRUE;
  cli_error ("serve: %s must be from %d to %d", option, low, high);
  return FALSE;
}

static int
run (int argc, char **argv)
{
  if (!cli_parse (&fw_cmd_serve, NULL, entries, &argc, &argv))
    return FW_EXIT_USAGE;
  if (argc > 1)
    {
      cli_error ("serve: unexpected argument '%s' (see 'fivewhys serve --help')", argv[1]);
      return FW_EXIT_USAGE;
    }
  if (!check_range ("--port", opt_port, 0, 65535) || !check_range ("--max-sessions", opt_max_sessions, 1, 1000000)
      || !check_range ("--max-per-client", opt_max_per_client, 1, 1000000) || !check_range ("--idle", opt_idle, 1, 7 * 86400)
      || !check_range ("--max-age", opt_max_age, 1, 30 * 86400))
    return FW_EXIT_USAGE;
  const char *bind = opt_bind != NULL ? opt_bind : "127.0.0.1";
  g_autoptr (GInetAddress) address = g_ascii_strcasecmp (bind, "localhost") == 0
                                         ? g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4)
                                         : g_inet_address_new_from_string (bind);
  if (address == NULL)
    {
      cli_error ("serve: --bind '%s' is not an IP address (127.0.0.1, 0.0.0.0, ::1 or one of this machine's)", bind);
      return FW_EXIT_USAGE;
    }

  g_autoptr (FwLibrary) library = cli_load_library_full (TRUE);
  if (library == NULL)
    return FW_EXIT_RULES;

  CliServeLimits limits = { (guint) opt_max_sessions, (guint) opt_max_per_client, (guint) opt_idle, (guint) opt_max_age };
  g_autoptr (CliServer) server = cli_server_new (library, &limits);
  g_autoptr (GError) error = NULL;
  guint port = 0;
  if (!cli_server_listen (server, address, (guint) opt_port, &port, &error))
    {
      g_autofree char *where = url_for (address, (guint) opt_port);
      cli_error ("serve: cannot listen on %s: %s", where, error->message);
      return FW_EXIT_INPUT;
    }

  guint personas = 0;
  for (guint i = 0; i < fw_library_get_n_personas (library); i++)
    if (fw_persona_get_ruleset (fw_library_get_persona (library, i)) != NULL)
      personas++;
  printf ("fivewhys serve: %u needs to drill, %u customers to practise with\n", fw_library_get_n_rulesets (library),
          personas);
  if (g_inet_address_get_is_any (address))
    {
      printf ("Listening on every address of this machine, port %u. Trainees open:\n", port);
      print_lan_urls (g_inet_address_get_family (address), port);
      printf ("Anyone who can reach this machine can use the drill: serve on a trusted network only.\n");
    }
  else
    {
      g_autofree char *url = url_for (address, port);
      printf ("Open %s in a browser.\n", url);
      if (!g_inet_address_get_is_loopback (address))
        printf ("Anyone who can reach this address can use the drill: serve on a trusted network only.\n");
    }
  printf ("Ctrl-C stops the server.\n");
  fflush (stdout);

  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
  guint sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  fprintf (stderr, "fivewhys serve: stopped; %u session%s dropped\n", cli_server_get_n_sessions (server),
           cli_server_get_n_sessions (server) == 1 ? "" : "s");
  return FW_EXIT_OK;
}

const FwCommand fw_cmd_serve = {
  "serve",
  "The drill and practice mode in a browser, for a classroom (a small web server)",
  run,
};
