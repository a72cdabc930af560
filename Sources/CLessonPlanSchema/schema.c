#include "CLessonPlanSchema.h"

// The shipped schema itself, not a copy: authors' editors and the program read the same file.
static const unsigned char schema[] = {
#embed "../../Curricula/lesson-plan.xsd"
};

const unsigned char *bridges_lesson_plan_xsd(void) { return schema; }
size_t bridges_lesson_plan_xsd_length(void) { return sizeof schema; }
