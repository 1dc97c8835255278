/* jsonout.c: a small, fast JSON writer that appends to a GString.
 *
 * The string escaper is the hot path: it copies runs of bytes that need no
 * attention (printable ASCII and well-formed UTF-8) with one append each, and
 * stops only at what must be escaped or replaced.
 */
#include "config.h"

#include "jsonout-private.h"

#include <string.h>

/* 0: copy; 1: escape (control, '"', '\\'); 2: the start of a UTF-8 sequence
 * (or a stray byte) that must be checked. */
static const guint8 byte_class[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20: '"' */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50: '\\' */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 */
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0x80 */
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0x90 */
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xA0 */
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xB0 */
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xC0 */
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xD0 */
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xE0 */
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xF0 */
};

static const char hex_digits[] = "0123456789abcdef";

#define REPLACEMENT_CHARACTER "\xEF\xBF\xBD"

/* Checks the UTF-8 sequence at @s (@n bytes available, n >= 1) against the
 * well-formed byte sequences of Unicode (Table 3-7). Returns TRUE with its
 * length in *len; or FALSE with the length of its maximal ill-formed subpart
 * in *len (at least 1), which is replaced by one U+FFFD. */
static gboolean
check_utf8 (const guchar *s, gsize n, gsize *len)
{
  guchar lead = s[0];
  guchar low = 0x80, high = 0xBF;
  gsize need, i;

  if (lead >= 0xC2 && lead <= 0xDF)
    need = 1;
  else if (lead >= 0xE0 && lead <= 0xEF)
    {
      need = 2;
      if (lead == 0xE0)
        low = 0xA0; /* no overlong forms */
      else if (lead == 0xED)
        high = 0x9F; /* no surrogates */
    }
  else if (lead >= 0xF0 && lead <= 0xF4)
    {
      need = 3;
      if (lead == 0xF0)
        low = 0x90; /* no overlong forms */
      else if (lead == 0xF4)
        high = 0x8F; /* nothing past U+10FFFF */
    }
  else
    {
      *len = 1; /* a continuation byte, C0, C1 or F5..FF */
      return FALSE;
    }

  if (n < 2 || s[1] < low || s[1] > high)
    {
      *len = 1;
      return FALSE;
    }
  for (i = 2; i <= need; i++)
    if (i >= n || (s[i] & 0xC0) != 0x80)
      {
        *len = i;
        return FALSE;
      }
  *len = need + 1;
  return TRUE;
}

/* U+0085 (C2 85), U+2028 (E2 80 A8) and U+2029 (E2 80 A9): line ends to
 * some readers of JSON Lines. Returns the code point, or 0. */
static gunichar
line_separator (const guchar *s, gsize len)
{
  if (len == 2 && s[0] == 0xC2 && s[1] == 0x85)
    return 0x85;
  if (len == 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
    return s[2] == 0xA8 ? 0x2028 : 0x2029;
  return 0;
}

static void
append_unicode_escape (GString *out, gunichar c)
{
  char escape[6] = { '\\', 'u', hex_digits[(c >> 12) & 0xF], hex_digits[(c >> 8) & 0xF],
                     hex_digits[(c >> 4) & 0xF], hex_digits[c & 0xF] };
  g_string_append_len (out, escape, sizeof escape);
}

void
fw_json_append_string (GString *out, const char *value, gssize len)
{
  const guchar *s = (const guchar *) value;
  gsize n, i = 0;

  g_return_if_fail (out != NULL);
  g_return_if_fail (value != NULL || len == 0);

  n = len < 0 ? strlen (value) : (gsize) len;
  g_string_append_c (out, '"');
  while (i < n)
    {
      gsize start = i, seq = 0;
      gboolean valid = FALSE;

      /* the longest run that is copied as is: eight bytes at a time while
       * none of them is a control character, '"', '\\' or past 0x7F
       * (each test is exact for "some byte of the eight is one") */
      while (i + 8 <= n)
        {
          guint64 v;
          memcpy (&v, s + i, 8);
          const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
          const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
          guint64 quote = v ^ (ones * '"');
          guint64 backslash = v ^ (ones * '\\');
          guint64 special = (v | ((v - ones * 0x20) & ~v) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash))
                            & highs;
          if (special != 0)
            break;
          i += 8;
        }
      while (i < n)
        {
          guint8 class = byte_class[s[i]];
          if (G_LIKELY (class == 0))
            i++;
          else if (class == 2 && (valid = check_utf8 (s + i, n - i, &seq))
                   && !line_separator (s + i, seq))
            i += seq;
          else
            break;
        }
      if (i > start)
        g_string_append_len (out, value + start, (gssize) (i - start));
      if (i == n)
        break;

      if (s[i] < 0x80)
        {
          switch (s[i])
            {
            case '"': g_string_append (out, "\\\""); break;
            case '\\': g_string_append (out, "\\\\"); break;
            case '\n': g_string_append (out, "\\n"); break;
            case '\r': g_string_append (out, "\\r"); break;
            case '\t': g_string_append (out, "\\t"); break;
            case '\b': g_string_append (out, "\\b"); break;
            case '\f': g_string_append (out, "\\f"); break;
            default: append_unicode_escape (out, s[i]); break;
            }
          i++;
        }
      else if (valid)
        {
          append_unicode_escape (out, line_separator (s + i, seq));
          i += seq;
        }
      else
        {
          g_string_append (out, REPLACEMENT_CHARACTER);
          i += seq;
        }
    }
  g_string_append_c (out, '"');
}

/* ---- The writer ------------------------------------------------------------- */

#define LEVEL_BIT(depth) (G_GUINT64_CONSTANT (1) << ((depth) - 1))

void
fw_json_writer_init (FwJsonWriter *writer, GString *out)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (out != NULL);

  memset (writer, 0, sizeof *writer);
  writer->out = out;
}

gboolean
fw_json_writer_is_complete (FwJsonWriter *writer)
{
  g_return_val_if_fail (writer != NULL, FALSE);
  return writer->depth == 0 && !writer->after_key;
}

/* Checks that a value may come now and writes the comma before it. Returns
 * FALSE, writing nothing, when it may not: inside an object a value needs a
 * key first. */
static gboolean
begin_value (FwJsonWriter *writer)
{
  guint64 bit;

  if (writer->after_key)
    {
      writer->after_key = FALSE;
      return TRUE;
    }
  if (writer->depth == 0)
    return TRUE;
  bit = LEVEL_BIT (writer->depth);
  g_return_val_if_fail ((writer->arrays & bit) != 0 /* a member needs a key */, FALSE);
  if (writer->nonempty & bit)
    g_string_append_c (writer->out, ',');
  writer->nonempty |= bit;
  return TRUE;
}

static void
begin_container (FwJsonWriter *writer, gboolean array)
{
  guint64 bit;

  g_return_if_fail (writer != NULL);
  g_return_if_fail (writer->depth < FW_JSON_WRITER_MAX_DEPTH);
  if (!begin_value (writer))
    return;
  g_string_append_c (writer->out, array ? '[' : '{');
  writer->depth++;
  bit = LEVEL_BIT (writer->depth);
  writer->nonempty &= ~bit;
  if (array)
    writer->arrays |= bit;
  else
    writer->arrays &= ~bit;
}

static void
end_container (FwJsonWriter *writer, gboolean array)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (writer->depth > 0);
  g_return_if_fail (!writer->after_key);
  g_return_if_fail (((writer->arrays & LEVEL_BIT (writer->depth)) != 0) == array);

  g_string_append_c (writer->out, array ? ']' : '}');
  writer->depth--;
}

void
fw_json_writer_begin_object (FwJsonWriter *writer)
{
  begin_container (writer, FALSE);
}

void
fw_json_writer_end_object (FwJsonWriter *writer)
{
  end_container (writer, FALSE);
}

void
fw_json_writer_begin_array (FwJsonWriter *writer)
{
  begin_container (writer, TRUE);
}

void
fw_json_writer_end_array (FwJsonWriter *writer)
{
  end_container (writer, TRUE);
}

void
fw_json_writer_key (FwJsonWriter *writer, const char *key)
{
  guint64 bit;

  g_return_if_fail (writer != NULL);
  g_return_if_fail (key != NULL);
  g_return_if_fail (writer->depth > 0);
  g_return_if_fail (!writer->after_key);
  bit = LEVEL_BIT (writer->depth);
  g_return_if_fail ((writer->arrays & bit) == 0 /* keys belong in objects */);

  if (writer->nonempty & bit)
    g_string_append_c (writer->out, ',');
  writer->nonempty |= bit;
  fw_json_append_string (writer->out, key, -1);
  g_string_append_c (writer->out, ':');
  writer->after_key = TRUE;
}

void
fw_json_writer_string_len (FwJsonWriter *writer, const char *value, gssize len)
{
  g_return_if_fail (writer != NULL);
  if (value == NULL && len != 0)
    {
      fw_json_writer_null (writer);
      return;
    }
  if (begin_value (writer))
    fw_json_append_string (writer->out, value ? value : "", len);
}

void
fw_json_writer_string (FwJsonWriter *writer, const char *value)
{
  fw_json_writer_string_len (writer, value, -1);
}

static void
append_uint64 (GString *out, guint64 value)
{
  char digits[20];
  gsize n = sizeof digits;

  do
    {
      digits[--n] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0);
  g_string_append_len (out, digits + n, (gssize) (sizeof digits - n));
}

void
fw_json_writer_int (FwJsonWriter *writer, gint64 value)
{
  g_return_if_fail (writer != NULL);
  if (!begin_value (writer))
    return;
  if (value < 0)
    {
      g_string_append_c (writer->out, '-');
      append_uint64 (writer->out, (guint64) 0 - (guint64) value);
    }
  else
    append_uint64 (writer->out, (guint64) value);
}

void
fw_json_writer_uint (FwJsonWriter *writer, guint64 value)
{
  g_return_if_fail (writer != NULL);
  if (begin_value (writer))
    append_uint64 (writer->out, value);
}

void
fw_json_writer_double (FwJsonWriter *writer, double value)
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (writer != NULL);
  if (value != value || value > G_MAXDOUBLE || value < -G_MAXDOUBLE)
    {
      fw_json_writer_null (writer);
      return;
    }
  if (!begin_value (writer))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (writer->out, buf);
  if (strpbrk (buf, ".e") == NULL)
    g_string_append (writer->out, ".0");
}

void
fw_json_writer_boolean (FwJsonWriter *writer, gboolean value)
{
  g_return_if_fail (writer != NULL);
  if (begin_value (writer))
    g_string_append (writer->out, value ? "true" : "false");
}

void
fw_json_writer_null (FwJsonWriter *writer)
{
  g_return_if_fail (writer != NULL);
  if (begin_value (writer))
    g_string_append (writer->out, "null");
}
