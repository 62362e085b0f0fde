using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Demo.Compare;

/// <summary>What `rlsc compare-objectives` runs: every objective x every seed on one base configuration.</summary>
public sealed class ObjectiveComparisonOptions
{
    /// <summary>The run configuration every run starts from (the embedded default); it must have an evaluation section.</summary>
    public required FineTuneConfig BaseConfig { get; init; }

    /// <summary>The comparison folder: tune/, runs/&lt;objective&gt;/seed-&lt;s&gt;/, comparison.{md,json,png}.</summary>
    public required string Output { get; init; }

    public IReadOnlyList<LabelFreeObjectiveKind> Objectives { get; init; } = Enum.GetValues<LabelFreeObjectiveKind>();

    /// <summary>Training seeds; the evaluation's seed stays evaluation.seed for every run (the same problems and sampler).</summary>
    public IReadOnlyList<long> Seeds { get; init; } = [1, 2, 3];

    /// <summary>The learning rates every objective is tuned over (the same grid for all).</summary>
    public IReadOnlyList<double> LearningRateGrid { get; init; } = [1e-5, 3e-5, 1e-4];

    /// <summary>Learning rates given instead of tuned (objective -> rate); objectives not named here are tuned.</summary>
    public IReadOnlyDictionary<LabelFreeObjectiveKind, double> FixedLearningRates { get; init; } = new Dictionary<LabelFreeObjectiveKind, double>();

    /// <summary>Steps of each tuning run; null: the configuration's training.steps (tuning as long as the real run).</summary>
    public int? TuneSteps { get; init; }

    /// <summary>Training questions the tuning runs are scored on (the first N of the training file).</summary>
    public int TuneQuestions { get; init; } = 64;

    /// <summary>
    /// The training questions with their answers, for tuning only (never read by a training run): a suite manifest
    /// path; null: regenerate the arith task's training answers (<see cref="TrainingQuestionAnswers"/>).
    /// </summary>
    public string? TuneSuite { get; init; }
}
