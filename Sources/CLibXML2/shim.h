#ifndef BRIDGES_CLIBXML2_SHIM_H
#define BRIDGES_CLIBXML2_SHIM_H

// xmlversion.h first, then drop ICU: Debian's headers pull in the system ICU, whose
// UErrorCode clashes with Foundation's copy in debug builds. The ICU fields sit at the tail of a
// struct that callers never allocate, so hiding them is safe.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

/// `xmlFree` is a C global variable, which Swift 6 refuses to call; this wraps it.
static inline void bridges_xmlFree(void *pointer) { xmlFree(pointer); }

#endif
