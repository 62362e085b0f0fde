using static TorchSharp.torch;
using Rlsc.Runtime.Training.Policy;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// Seams for tests that inject faults (a NaN loss, a NaN gradient) or watch a run; null members do nothing.
/// Not part of the configuration: a run's behaviour is fully described by its config.json.
/// </summary>
public sealed class TrainingHooks
{
    /// <summary>Called with (step, loss) before each backward pass; returns the loss to use.</summary>
    public Func<int, Tensor, Tensor>? TransformLoss { get; init; }

    /// <summary>Called with (step, model) after the step's backward passes, before clipping.</summary>
    public Action<int, ITrainableModel>? AfterBackward { get; init; }

    /// <summary>Called with the step number after each completed optimizer step.</summary>
    public Action<int>? AfterStep { get; init; }
}
