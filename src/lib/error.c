/* error.c: the FW_ERROR domain and the names of enums. */
#include "config.h"

#include "fivewhys.h"

G_DEFINE_QUARK (fw-error-quark, fw_error)

const char *
fw_level_to_string (FwLevel level)
{
  switch (level)
    {
    case FW_LEVEL_NEED: return "need";
    case FW_LEVEL_ATTRIBUTE: return "attribute";
    case FW_LEVEL_FUNCTION: return "function";
    case FW_LEVEL_BENEFIT: return "benefit";
    case FW_LEVEL_MOTIVATION: return "motivation";
    }
  return "unknown";
}

const char *
fw_status_to_string (FwStatus status)
{
  switch (status)
    {
    case FW_STATUS_ASKING: return "asking";
    case FW_STATUS_REACHED: return "reached";
    case FW_STATUS_STALLED: return "stalled";
    case FW_STATUS_ENDED: return "ended";
    }
  return "unknown";
}
