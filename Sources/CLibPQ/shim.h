#ifndef WOOW_CLIBPQ_SHIM_H
#define WOOW_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
