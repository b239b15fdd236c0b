/*
 * bh18-shim.h - the bh-18 case program names its apply call
 * syswall_apply_file(path) ("ADAPT to the real API name"); this maps it
 * onto libsyswall's sw_apply_file() without editing the case.
 */
#include <syswall.h>

#define syswall_apply_file(path) ((int)sw_apply_file((path), NULL, NULL, NULL))
