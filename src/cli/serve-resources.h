#ifndef __RESOURCE_cli_serve_H__
#define __RESOURCE_cli_serve_H__

#include <gio/gio.h>

G_GNUC_INTERNAL GResource *cli_serve_get_resource (void);
#endif
