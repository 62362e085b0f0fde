using Rlsc.Core.Config;
using Rlsc.Core.IO;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// Names a step's per-sample signal metrics after the objective that produced them: RlscMetrics writes
/// rlsc/mean_weight, rlsc/max_weight, rlsc/mean_coefficient and rlsc/mean_sequence_log_prob; under ttrl and
/// self_certainty the "weight" is the reward and the coefficient the advantage (ttrl/mean_reward, ...), under
/// entropy both are bookkeeping (1 and 1/|y|) and are left out. The rlsc objective's names are unchanged.
/// </summary>
static class ObjectiveMetrics
{
    public static Dictionary<string, double> Of(LabelFreeObjectiveKind kind, IReadOnlyList<QuestionOutcome> outcomes)
    {
        var metrics = RlscMetrics.Of(outcomes);
        if (kind == LabelFreeObjectiveKind.Rlsc) return metrics;
        string prefix = SnakeCaseEnumConverter<LabelFreeObjectiveKind>.NameOf(kind) + "/";
        var renamed = new Dictionary<string, double>();
        foreach (var (key, value) in metrics)
        {
            string? name = key switch
            {
                "rlsc/mean_sequence_log_prob" => prefix + "mean_sequence_log_prob",
                "rlsc/mean_weight" => kind == LabelFreeObjectiveKind.Entropy ? null : prefix + "mean_reward",
                "rlsc/max_weight" => kind == LabelFreeObjectiveKind.Entropy ? null : prefix + "max_reward",
                "rlsc/mean_coefficient" => null,   // advantages average to 0 by construction
                _ => key,
            };
            if (name is not null) renamed[name] = value;
        }
        if (kind is LabelFreeObjectiveKind.Ttrl or LabelFreeObjectiveKind.SelfCertainty)
        {
            renamed[prefix + "mean_abs_advantage"] = outcomes.SelectMany(o => o.Samples).Average(s => Math.Abs(s.Coefficient));
            // Questions that taught nothing this step: all rewards equal (ttrl: unanimous, or no answer at all).
            renamed[prefix + "no_signal_fraction"] = outcomes.Count(o => o.Samples.All(s => s.Coefficient == 0)) / (double)outcomes.Count;
        }
        return renamed;
    }
}
