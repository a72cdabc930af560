// The domain values (Lesson, Program, Diagnostic, …) are part of Kit's API: whoever uses Kit
// sees them without naming the module that defines them.
@_exported import BridgesCore
import BridgesXML

extension Registrar {
    /// The lesson-plan XSD the program validates with: Curricula/lesson-plan.xsd as built in.
    public static var lessonPlanSchema: String { LessonPlanReader.schemaText }
}
