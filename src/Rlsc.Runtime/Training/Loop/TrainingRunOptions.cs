using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Policy;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>How a training run is started: everything that is not part of its configuration.</summary>
public sealed class TrainingRunOptions
{
    /// <summary>Continue the run in the output folder from its newest checkpoint (or start one if there is none).</summary>
    public bool Resume { get; init; }

    /// <summary>The exact command that resumes this run, for the interrupt message and summary.json.</summary>
    public string? ResumeCommand { get; init; }

    /// <summary>Loads a model folder on a placement; null: the project's Qwen2 runtime (<see cref="CausalLmTrainable"/>).</summary>
    public Func<string, ModelPlacement, ITrainableModel>? LoadModel { get; init; }

    public IProgress<TrainingProgress>? Progress { get; init; }

    public TrainingHooks? Hooks { get; init; }
}
