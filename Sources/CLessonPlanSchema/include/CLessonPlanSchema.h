#ifndef BRIDGES_LESSON_PLAN_SCHEMA_H
#define BRIDGES_LESSON_PLAN_SCHEMA_H
#include <stddef.h>

/// The bytes of Curricula/lesson-plan.xsd as it was when the program was built.
const unsigned char *bridges_lesson_plan_xsd(void);
/// The number of bytes `bridges_lesson_plan_xsd` points at.
size_t bridges_lesson_plan_xsd_length(void);

#endif
