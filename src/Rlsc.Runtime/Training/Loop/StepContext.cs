using Rlsc.Runtime.Training.Policy;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>What a trainer's step body gets from the session for one optimizer step.</summary>
public sealed class StepContext(TrainingSession session, int step, CancellationToken cancellation)
{
    /// <summary>1-based step number.</summary>
    public int Step { get; } = step;
    public int TotalSteps => session.TotalSteps;
    public ITrainableModel Model => session.Model;
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Index of the next training example in the run's seeded order.</summary>
    public int NextExample() => session.Order.Next();

    /// <summary>The loss to back-propagate (the identity unless a test injects a fault).</summary>
    public TorchSharp.torch.Tensor Hook(TorchSharp.torch.Tensor loss) => session.Hooks?.TransformLoss?.Invoke(Step, loss) ?? loss;

    /// <summary>Stops the run (RLSC053) when a loss value is NaN or infinite, before its backward pass.</summary>
    public void CheckLoss(double loss, string where) => session.CheckLoss(Step, loss, where);

    public void Report(string phase, string? detail = null) =>
        session.Progress?.Report(new TrainingProgress(session.Kind, Step, session.TotalSteps, phase, detail));
}
