/* serve-private.h: the web drill of `fivewhys serve`: a JSON API over the
 * ask drill (fw_session_*) and practice mode (fw_practice_*), and one page
 * compiled into the program as resources. HTTP is libsoup-3.0's; the
 * library knows nothing of it. */
#ifndef FW_SERVE_PRIVATE_H
#define FW_SERVE_PRIVATE_H

#include <gio/gio.h>
#include <glib.h>

#include "fivewhys.h"

G_BEGIN_DECLS

/* The largest request body taken; a larger one gets 413 before it is read. */
#define CLI_SERVE_MAX_BODY (16 * 1024)
/* The longest answer or question, in bytes. */
#define CLI_SERVE_MAX_TEXT 2000
/* Answers (drill) or questions (practice) one session takes at most. */
#define CLI_SERVE_MAX_TURNS 100

typedef struct {
  guint max_sessions;   /* sessions held at once; a new one past that gets 503 */
  guint max_per_client; /* sessions one client address holds; past that 429 */
  guint idle_seconds;   /* a session unused this long is dropped */
  guint max_age_seconds; /* a session this old is dropped, used or not */
} CliServeLimits;

typedef struct _CliServer CliServer;

/* A server for @library (compiled; it must outlive the server) with
 * @limits. It serves nothing until cli_server_listen(). */
CliServer *cli_server_new (FwLibrary *library, const CliServeLimits *limits);
void cli_server_free (CliServer *server);

/* Listens on @address (an IP literal) and @port (0: a free port) and
 * serves from the thread-default main context. Sets *@bound_port to the
 * port taken. Fails with the socket's error (address in use, no such
 * address). */
gboolean cli_server_listen (CliServer *server, GInetAddress *address, guint port, guint *bound_port,
                            GError **error);

/* Sessions held now (for the shutdown message). */
guint cli_server_get_n_sessions (CliServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliServer, cli_server_free)

G_END_DECLS

#endif
