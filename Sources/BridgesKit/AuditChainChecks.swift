import BridgesStore

extension DatabaseMaintenance {
    /// The tamper-evidence checks of `doctor` (issue 15): the audit trail's hash chain, and the
    /// trail replayed against the sessions, certificates and erasures it explains. Each names the
    /// first event or row that does not fit.
    static func auditChainChecks(_ inspection: any StoreInspection) async -> [DatabaseCheck] {
        var checks: [DatabaseCheck] = []
        do {
            let chain = try await inspection.auditChain()
            if let problem = chain.firstProblem {
                checks.append(DatabaseCheck(name: "audit chain", outcome: .failed, finding: "\(problem); restore the latest backup that passes, and find out who had the file"))
            } else if let head = chain.head {
                checks.append(DatabaseCheck(
                    name: "audit chain", outcome: .passed,
                    finding: "\(chain.events) event\(chain.events == 1 ? "" : "s") chained; the head is event \(chain.events), hash \(head.prefix(16)) (note it: a later chain without it was rewritten)"))
            } else {
                checks.append(DatabaseCheck(name: "audit chain", outcome: .passed, finding: "no events yet"))
            }
        } catch {
            checks.append(DatabaseCheck(name: "audit chain", outcome: .failed, finding: "could not be completed: \(error)"))
        }
        do {
            let problems = try await inspection.auditReplayProblems()
            checks.append(problems.isEmpty
                ? DatabaseCheck(name: "audit replay", outcome: .passed, finding: "voids, revocations, certificates issued and erasures are what the trail says")
                : DatabaseCheck(name: "audit replay", outcome: .failed, finding: .joined(problems, separator: "; ")))
        } catch {
            checks.append(DatabaseCheck(name: "audit replay", outcome: .failed, finding: "could not be completed: \(error)"))
        }
        return checks
    }
}
