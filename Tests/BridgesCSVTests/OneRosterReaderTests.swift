import BridgesCSV
import BridgesCore
import Foundation
import Testing

@Suite("OneRosterReader")
struct OneRosterReaderTests {
    static let manifest = """
        propertyName,value
        manifest.version,1.0
        oneroster.version,1.1
        file.academicSessions,absent
        file.classes,bulk
        file.courses,absent
        file.enrollments,bulk
        file.orgs,bulk
        file.users,bulk
        source.systemName,Example SIS

        """

    static let orgs = """
        sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId
        d1,,2024-08-01,Springfield District,district,,
        s1,active,2024-08-01,Lincoln Elementary,school,,d1
        s2,,2024-08-01,Hill Middle,school,,d1
        s3,tobedeleted,2024-08-01,Closed School,school,,d1

        """

    static let classes = """
        sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
        c1,,,Kindergarten A,KG,co1,,homeroom,,s1,t1,,,
        c2,,,Grade 7 Safety,07,co2,,scheduled,,s2,t1,,,
        c3,tobedeleted,,Old class,03,co3,,homeroom,,s1,t1,,,

        """

    static let users = """
        sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password
        0u1,,,true,s1,student,ana,,Ana,García,,000123,,,,,KG,
        u2,,,true,s2,student,ben,,Ben,Ng,,,,,,,"07,08",
        u3,,,true,s1,teacher,tina,,Tina,Teach,,,,,,,,
        u4,,,false,s1,student,dee,,Dee,Disabled,,,,,,,03,
        u5,,,true,s1,guardian,gus,,Gus,Parent,,,,,,,,
        u6,tobedeleted,,true,s1,student,old,,Old,Student,,,,,,,05,
        u7,,,true,s2,Student,mei,,美,王,,,,,,,12,
        u8,,,true,s1,administrator,al,,Al,Admin,,,,,,,,
        u9,,,,s1,student,sam,,Sam,Lee,,,,,,,01,

        """

    static let enrollments = """
        sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate
        e1,,,c1,s1,0u1,student,false,,
        e2,,,c2,s2,u2,student,false,,
        e3,,,c1,s1,u3,teacher,true,,
        e4,,,c1,s1,u4,student,false,,
        e5,,,c2,s2,u7,student,false,,
        e6,tobedeleted,,c2,s2,0u1,student,false,,
        e7,,,c3,s1,0u1,student,false,,
        e8,,,c1,s1,u6,student,false,,
        e9,,,c1,s1,u5,student,false,,
        e10,,,c1,s1,u9,student,false,,

        """

    /// What the reader passed on, in the order it did.
    struct Imported {
        var log: [String] = []
        var schools: [School] = []
        var classes: [SchoolClass] = []
        var students: [Student] = []
        var enrollments: [Enrollment] = []
    }

    /// Writes an export with the default files, minus `omitting`, with `replacing` files'
    /// contents swapped, then reads it as `district.zip`.
    private func read(
        replacing: [String: String] = [:], omitting: Set<String> = []
    ) throws -> (imported: Imported, findings: [Diagnostic]) {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let files = [
            "manifest.csv": Self.manifest, "orgs.csv": Self.orgs, "classes.csv": Self.classes,
            "users.csv": Self.users, "enrollments.csv": Self.enrollments, "courses.csv": "not,read\n",
        ].merging(replacing) { $1 }
        for (name, text) in files where !omitting.contains(name) {
            try folder.write(name, text)
        }
        var imported = Imported()
        let findings = try OneRosterReader(folder: folder.url, name: "district.zip").read(
            school: {
                imported.log.append("school")
                imported.schools.append($0)
            },
            schoolClass: {
                imported.log.append("class")
                imported.classes.append($0)
            },
            student: {
                imported.log.append("student")
                imported.students.append($0)
            },
            enrollment: {
                imported.log.append("enrollment")
                imported.enrollments.append($0)
            })
        return (imported, findings)
    }

    @Test func studentsAreUsersWithRoleStudentThatAreEnabledAndNotDeleted() throws {
        let (imported, findings) = try read()
        #expect(findings.isEmpty)
        #expect(
            imported.schools == [School(id: "s1", name: "Lincoln Elementary"), School(id: "s2", name: "Hill Middle")])
        #expect(
            imported.classes == [
                SchoolClass(id: "c1", schoolID: "s1", name: "Kindergarten A"),
                SchoolClass(id: "c2", schoolID: "s2", name: "Grade 7 Safety"),
            ])
        #expect(
            imported.students == [
                Student(
                    id: "0u1", givenName: "Ana", familyName: "García", grade: Grade(number: 0)!, identifier: "000123"),
                Student(id: "u2", givenName: "Ben", familyName: "Ng", grade: Grade(number: 7)!),
                Student(id: "u7", givenName: "美", familyName: "王", grade: Grade(number: 12)!),
                Student(id: "u9", givenName: "Sam", familyName: "Lee", grade: Grade(number: 1)!),
            ])
        #expect(
            imported.enrollments == [
                Enrollment(classID: "c1", studentID: "0u1"), Enrollment(classID: "c2", studentID: "u2"),
                Enrollment(classID: "c2", studentID: "u7"), Enrollment(classID: "c1", studentID: "u9"),
            ])
    }

    @Test func valuesArePassedOnSchoolsThenClassesThenStudentsThenEnrollments() throws {
        let (imported, _) = try read()
        let order = ["school", "class", "student", "enrollment"]
        let ranks = imported.log.map { order.firstIndex(of: $0)! }
        #expect(ranks == ranks.sorted())
        #expect(Set(imported.log) == Set(order))
    }

    // Issue 10 changed this on purpose: these codes used to refuse the whole district.
    @Test func gradeCodesOutsideKTo12AreKeptAsWritten() throws {
        let users = """
            sourcedId,enabledUser,role,givenName,familyName,grades
            p1,true,student,Pat,Pre,PK
            p2,true,student,Tom,Thirteen,13
            p3,true,student,Una,Graded,UG
            p4,true,student,Oli,Other,Other
            p5,true,student,Nia,None,
            p6,true,student,Kim,Ok,"KG,01"
            p7,true,teacher,Ted,Teacher,PK

            """
        let (imported, findings) = try read(replacing: [
            "users.csv": users, "enrollments.csv": "classSourcedId,userSourcedId,role\n",
        ])
        #expect(findings.isEmpty)
        #expect(imported.students.map(\.id) == ["p1", "p2", "p3", "p4", "p5", "p6"])
        #expect(imported.students.map(\.gradeCode) == ["PK", "13", "UG", "Other", "", "K"])
        #expect(imported.students.map(\.grade) == [nil, nil, nil, nil, nil, Grade(number: 0)])
    }

    @Test func danglingReferencesAreErrorsAtTheirLines() throws {
        let classes =
            Self.classes + """
                c8,,,Lost class,05,co8,,homeroom,,s9,t1,,,
                c9,,,District class,05,co9,,homeroom,,d1,t1,,,

                """
        let enrollments =
            Self.enrollments + """
                e11,,,c404,s1,0u1,student,false,,
                e12,,,c1,s1,u404,student,false,,
                e13,,,c1,s1,u3,student,false,,

                """
        let (imported, findings) = try read(replacing: ["classes.csv": classes, "enrollments.csv": enrollments])
        let located = findings.map { "\($0.file):\($0.line)" }
        #expect(
            located == [
                "district.zip/classes.csv:5", "district.zip/classes.csv:6",
                "district.zip/enrollments.csv:12", "district.zip/enrollments.csv:13",
            ])
        #expect(findings[0].message.contains("class c8 belongs to school s9, which is not in orgs.csv"))
        #expect(findings[1].message.contains("org d1, which is a district in orgs.csv, not a school"))
        #expect(findings[2].message.contains("class c404, which is not in classes.csv"))
        #expect(findings[3].message.contains("user u404, who is not in users.csv"))
        #expect(imported.classes.map(\.id) == ["c1", "c2"])
        #expect(imported.enrollments.count == 4)
    }

    @Test func emptyRequiredValuesAndRepeatedIdsAreErrors() throws {
        let users =
            Self.users + """
                u2,,,true,s2,student,ben2,,Benny,Ng,,,,,,,07,
                u10,,,true,s1,student,x,,,Nameless,,,,,,,02,

                """
        let (_, findings) = try read(replacing: ["users.csv": users])
        #expect(findings.map(\.line) == [11, 12])
        #expect(findings[0].message.contains("user u2 appears again (first on line 3)"))
        #expect(findings[1].message.contains("givenName is empty"))
    }

    @Test func classOfADeletedSchoolIsSkippedWithAWarningAndSoAreItsEnrollments() throws {
        let classes = Self.classes + "c5,,,Closing class,03,co5,,homeroom,,s3,t1,,,\n"
        let enrollments = Self.enrollments + "e20,,,c5,s3,0u1,student,false,,\n"
        let (imported, findings) = try read(replacing: ["classes.csv": classes, "enrollments.csv": enrollments])
        #expect(findings.count == 1)
        #expect(findings.first?.severity == .warning)
        #expect(findings.first?.line == 5)
        #expect(
            findings.first?.message.contains("class c5 belongs to school s3, which orgs.csv marks tobedeleted") == true)
        #expect(!imported.classes.contains { $0.id == "c5" })
        #expect(!imported.enrollments.contains { $0.classID == "c5" })
    }

    @Test func missingFolderIsThrownAsNotFound() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString)")
        let error = #expect(throws: CSVReadError.self) {
            _ = try OneRosterReader(folder: folder, name: "district.zip").read(
                school: { _ in }, schoolClass: { _ in }, student: { _ in }, enrollment: { _ in })
        }
        #expect(error?.kind == .fileNotFound)
    }

    @Test func missingManifestMeansNotAOneRosterExport() throws {
        let (imported, findings) = try read(omitting: ["manifest.csv"])
        #expect(imported.log.isEmpty)
        #expect(findings.count == 1)
        #expect(
            findings.first?.description.hasPrefix("district.zip/manifest.csv: error: there is no manifest.csv") == true)
    }

    @Test func otherOneRosterVersionIsRefused() throws {
        let manifest = Self.manifest.replacingOccurrences(of: "oneroster.version,1.1", with: "oneroster.version,1.2")
        let (imported, findings) = try read(replacing: ["manifest.csv": manifest])
        #expect(imported.log.isEmpty)
        #expect(findings.count == 1)
        #expect(findings.first?.line == 3)
        #expect(findings.first?.message.contains("version '1.2'") == true)
    }

    @Test func filesTheManifestListsAsBulkMustBeThere() throws {
        let manifest = Self.manifest.replacingOccurrences(of: "file.courses,absent", with: "file.courses,bulk")
        let (_, findings) = try read(replacing: ["manifest.csv": manifest], omitting: ["courses.csv"])
        #expect(findings.count == 1)
        #expect(findings.first?.line == 6)
        #expect(
            findings.first?.message.contains("lists courses.csv as bulk, but the export has no courses.csv") == true)
    }

    @Test func neededFilesMustBeInTheExportAndInBulk() throws {
        let manifest = Self.manifest.replacingOccurrences(of: "file.users,bulk", with: "file.users,delta")
            .replacingOccurrences(of: "file.orgs,bulk\n", with: "")
        let (imported, findings) = try read(replacing: ["manifest.csv": manifest], omitting: ["orgs.csv"])
        #expect(imported.log.isEmpty)
        let located = findings.map { "\($0.file):\($0.line)" }
        #expect(located == ["district.zip/manifest.csv:8", "district.zip/orgs.csv:0"])
        #expect(findings[0].message.contains("users.csv is a delta"))
        #expect(findings[1].message.contains("the export has no orgs.csv"))
    }

    @Test func fileWithoutARequiredColumnIsReportedBeforeAnythingIsPassedOn() throws {
        let users = "sourcedId,role,givenName,familyName\nu1,student,Ana,García\n"
        let (imported, findings) = try read(replacing: ["users.csv": users])
        #expect(imported.log.isEmpty)
        #expect(findings.count == 1)
        #expect(
            findings.first?.description.hasPrefix("district.zip/users.csv:1: error: the header lacks the column grades")
                == true)
    }
}
