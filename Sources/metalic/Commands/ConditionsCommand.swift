import ArgumentParser
import PINN

struct ConditionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conditions", abstract: "List the nine interface conditions (bit order of an arm).",
        discussion: "An arm is given as names (u,rc,flux), none, all, or 9 bits whose k-th character switches condition k (100100001 = u,rc,uxx).")

    func run() throws {
        for c in InterfaceCondition.allCases {
            print("\(c.rawValue)  \(c.name.padding(toLength: 9, withPad: " ", startingAt: 0))\(c.formula)")
        }
    }
}

import Foundation
