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

/// Swallows libxml2's generic (unstructured) messages. A few paths in 2.9 (encoding conversion
/// failures, I/O errors) print through it straight to stderr instead of the structured handler,
/// which already reports them with a place; a variadic function cannot be written in Swift.
static _Thread_local int bridges_generic_error_count = 0;

static void bridges_silent_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
    bridges_generic_error_count += 1;
}

/// How many generic messages this thread swallowed since the last call; resets the count.
static inline int bridges_take_generic_error_count(void) {
    int count = bridges_generic_error_count;
    bridges_generic_error_count = 0;
    return count;
}

/// Routes this thread's generic libxml2 messages to `bridges_silent_generic_error`.
static inline void bridges_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, bridges_silent_generic_error);
}

/// `xmlFree` is a C global variable, which Swift 6 refuses to call; this wraps it.
static inline void bridges_xmlFree(void *pointer) { xmlFree(pointer); }

#endif
