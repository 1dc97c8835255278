/* cli-output.c: writing a command's whole output to standard output or to
 * a file named with -o, atomically. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cli-private.h"

/* "PATH: cannot write: REASON", the reason lower case as our messages are. */
static void
write_error (const char *path, int errnum, const char *suffix)
{
  g_autofree char *why = g_strdup (g_strerror (errnum));
  if (g_ascii_isupper (why[0]) && !g_ascii_isupper (why[1]))
    why[0] = g_ascii_tolower (why[0]);
  if (path != NULL)
    cli_error ("%s: cannot write: %s%s", path, why, suffix != NULL ? suffix : "");
  else
    cli_error ("cannot write to standard output: %s", why);
}

static gboolean
write_all (int fd, const char *data, gsize len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* The mode a new file gets: the old file's when replacing one, else 0666
 * less the umask. */
static mode_t
new_file_mode (const struct stat *old, gboolean exists)
{
  if (exists)
    return old->st_mode & 07777;
  mode_t mask = umask (0);
  umask (mask);
  return 0666 & ~mask;
}

/* Writes @data to @path through a temporary file in the same folder and a
 * rename, so that readers see the old file or the new one, never part of
 * it. A path that exists and is not a regular file (a terminal, a pipe,
 * /dev/null) is written in place. */
static gboolean
write_file (const char *path, const char *data, gsize len)
{
  struct stat st = { 0 };
  gboolean exists = g_stat (path, &st) == 0;
  if (exists && !S_ISREG (st.st_mode))
    {
      int fd = g_open (path, O_WRONLY | O_TRUNC | O_CLOEXEC, 0);
      if (fd < 0 || !write_all (fd, data, len))
        {
          int saved = errno;
          if (fd >= 0)
            close (fd);
          write_error (path, saved, NULL);
          return FALSE;
        }
      if (close (fd) != 0)
        {
          write_error (path, errno, NULL);
          return FALSE;
        }
      return TRUE;
    }
  /* Replace what a symbolic link points to, not the link. */
  g_autofree char *target = NULL;
  if (exists && g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    target = realpath (path, NULL);
  const char *final = target != NULL ? target : path;
  g_autofree char *dir = g_path_get_dirname (final);
  g_autofree char *base = g_path_get_basename (final);
  g_autofree char *tmp = g_strdup_printf ("%s%s.%s.XXXXXX", dir, G_DIR_SEPARATOR_S, base);
  int fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      write_error (path, errno, NULL);
      return FALSE;
    }
  gboolean ok = write_all (fd, data, len) && fchmod (fd, new_file_mode (&st, exists)) == 0 && fsync (fd) == 0;
  int saved = errno;
  if (close (fd) != 0 && ok)
    {
      ok = FALSE;
      saved = errno;
    }
  if (ok && g_rename (tmp, final) != 0)
    {
      ok = FALSE;
      saved = errno;
    }
  if (!ok)
    {
      g_unlink (tmp);
      write_error (path, saved, " (nothing was changed)");
      return FALSE;
    }
  return TRUE;
}

gboolean
cli_write_output (const char *path, const char *data, gsize len)
{
  if (path != NULL && strcmp (path, "-") != 0)
    return write_file (path, data, len);
  if (fwrite (data, 1, len, stdout) != len || fflush (stdout) != 0 || ferror (stdout))
    {
      write_error (NULL, errno, NULL);
      return FALSE;
    }
  return TRUE;
}
