import Bandit
import PINN

/// What a meta-trained study recommends for one PDE instance.
enum StudyAdvisor {
    /// The study's model fed with all its completed trials.
    static func model(studyPath: String, family: any PDEFamily) throws -> StudyModel {
        let (store, _) = try openStudy(studyPath)
        let settings = try StudySettings(store.configuration)
        guard settings.family.name == family.name else {
            throw CLIError("study \(studyPath) was trained on \(settings.family.name), not \(family.name)")
        }
        var model = StudyModel(settings: settings)
        let trials = try store.trials()
        guard trials.contains(where: { $0.status == .completed }) else { throw CLIError("study \(studyPath) has no completed trials yet") }
        try model.update(with: trials)
        return model
    }
}
