// The module is header-only (`cpu_pause` is static inline); SwiftPM needs one source file.
#include "cpu_pause.h"
