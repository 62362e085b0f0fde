using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// What a trainer tells <see cref="TrainingSession.Open"/> about its run, by name: the configuration and what the
/// trainer derived from it and from its data (how a run is started, resume and progress, is <see cref="TrainingRunOptions"/>).
/// </summary>
public sealed record TrainingSessionOptions
{
    /// <summary>"finetune" or "sft": summary.json's kind and the progress lines' label.</summary>
    public required string Kind { get; init; }

    public required IRunConfig Config { get; init; }

    /// <summary>The effective configuration as the run folder's config.json holds it; a resume must find the same.</summary>
    public required string EffectiveConfigJson { get; init; }

    /// <summary>Optimizer steps of the whole run.</summary>
    public required int TotalSteps { get; init; }

    /// <summary>Steps between checkpoints (0: only the final one).</summary>
    public required int CheckpointEvery { get; init; }

    /// <summary>Training examples (questions or SFT pairs) that the example order walks through.</summary>
    public required int ExampleCount { get; init; }

    /// <summary>Shuffle the examples (each pass anew, seeded), or take them in file order.</summary>
    public required bool Shuffle { get; init; }

    /// <summary>sha256 of the training examples, so a resume on changed data is refused.</summary>
    public required string DataFingerprint { get; init; }
}
