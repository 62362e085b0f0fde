using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>Builds the objective that `loss.objective` names.</summary>
public static class LabelFreeObjectives
{
    public static ILabelFreeObjective Create(RlscLossOptions options) => options.Objective switch
    {
        LabelFreeObjectiveKind.Rlsc => new RlscLabelFreeObjective(options),
        LabelFreeObjectiveKind.Ttrl => new TtrlObjective(options),
        LabelFreeObjectiveKind.Entropy => new EntropyObjective(options),
        LabelFreeObjectiveKind.SelfCertainty => new SelfCertaintyObjective(options),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Objective, "unknown objective"),
    };
}
