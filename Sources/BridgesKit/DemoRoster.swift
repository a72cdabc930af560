import BridgesCSV
import BridgesCore

/// The demo's schools, classes and students: names from many backgrounds, ids with leading
/// zeros as district systems write them.
struct DemoRoster {
    struct ClassPlan {
        var id: String
        var schoolID: String
        var name: String
        var grade: Int
        var program: String
        /// Days after the term's first day on which the class meets each week (0–4).
        var weekday: Int
    }

    var schools: [(id: String, name: String)]
    var classes: [ClassPlan]
    var students: [(id: String, given: String, family: String, grade: Int, classID: String)]
    var enrolments: [String: [String]]

    static let givenNames = [
        "Amara", "Li", "José", "Sofia", "Mohammed", "Aiyana", "Noah", "Priya", "Mateo", "Chloe", "Kwame", "Yuki", "Fatima",
        "Liam", "Ava", "Dmitri", "Zainab", "Ethan", "Mei", "Santiago", "Olivia", "Arjun", "Isabella", "Tariq", "Emma",
        "Kai", "Nia", "Lucas", "Ximena", "Oliver", "Hana", "Elijah", "Leila", "Diego", "Grace", "Ravi", "Zoe", "Omar",
        "Camila", "Jonah", "Aaliyah", "Finn", "Sakura", "Malik", "Ingrid", "Tomás", "Ayesha", "Wyatt", "Chiara", "Bao",
    ]
    static let familyNames = [
        "Okafor", "Wei", "García", "Rossi", "Haddad", "Begay", "Smith", "Natarajan", "Hernández", "Nguyễn", "Mensah",
        "Tanaka", "Rahman", "O'Brien", "Johnson", "Ivanova", "Abubakar", "Müller", "Chen", "López", "Kowalski", "Patel",
        "Silva", "Yazzie", "Kim", "Moreau", "Adeyemi", "Santos", "Andersson", "Cohen", "Park", "Dubois", "Mwangi", "Brown",
    ]

    static func generate(using generator: inout SplitMix64) -> DemoRoster {
        let schools = [
            ("0101", "Maple Street Elementary"),
            ("0202", "Riverside Middle School"),
            ("0303", "Lakeview High School"),
        ]
        let classes = [
            ClassPlan(id: "0101-3A", schoolID: "0101", name: "Grade 3 — Ms. Alvarez", grade: 3, program: "personal-safety", weekday: 1),
            ClassPlan(id: "0101-4B", schoolID: "0101", name: "Grade 4 — Mr. Osei", grade: 4, program: "personal-safety", weekday: 3),
            ClassPlan(id: "0202-7A", schoolID: "0202", name: "Grade 7 Advisory A", grade: 7, program: "conflict-resolution", weekday: 0),
            ClassPlan(id: "0202-8C", schoolID: "0202", name: "Grade 8 Health C", grade: 8, program: "first-aid", weekday: 2),
            ClassPlan(id: "0303-9H", schoolID: "0303", name: "Grade 9 Health", grade: 9, program: "first-aid", weekday: 4),
            ClassPlan(id: "0303-10H", schoolID: "0303", name: "Grade 10 Health", grade: 10, program: "first-aid", weekday: 1),
        ]
        var students: [(id: String, given: String, family: String, grade: Int, classID: String)] = []
        var enrolments: [String: [String]] = [:]
        var number = 1
        for plan in classes {
            for _ in 0..<24 {
                let id = String(format: "%06d", 400_000 + number)
                number += 1
                let given = givenNames[Int(generator.next() % UInt64(givenNames.count))]
                let family = familyNames[Int(generator.next() % UInt64(familyNames.count))]
                students.append((id, given, family, plan.grade, plan.id))
                enrolments[plan.id, default: []].append(id)
            }
        }
        return DemoRoster(schools: schools.map { ($0.0, $0.1) }, classes: classes, students: students, enrolments: enrolments)
    }

    /// Writes the roster in the plain CSV form `roster import` reads, through the same writer the
    /// reports use (exact RFC 4180, a file only its owner can read).
    static func write(_ roster: DemoRoster, to path: String) throws(CSVWriteError) {
        let writer = try CSVWriter(path: path)
        try writer.writeHeader(["school_id", "school_name", "class_id", "class_name", "student_id", "given_name", "family_name", "grade"])
        let schoolNames = Dictionary(uniqueKeysWithValues: roster.schools.map { ($0.id, $0.name) })
        let classes = Dictionary(uniqueKeysWithValues: roster.classes.map { ($0.id, $0) })
        for student in roster.students {
            let plan = classes[student.classID]!
            try writer.write([.text(plan.schoolID), .text(schoolNames[plan.schoolID]!), .text(plan.id), .text(plan.name),
                              .text(student.id), .text(student.given), .text(student.family), .number(student.grade)])
        }
        try writer.finish()
    }
}
