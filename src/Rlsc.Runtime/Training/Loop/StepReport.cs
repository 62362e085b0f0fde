namespace Rlsc.Runtime.Training.Loop;

/// <summary>What a trainer's step body reports back to the session, after its backward passes.</summary>
/// <param name="Metrics">Namespaced metrics of the step (train/loss, completions/mean_length, ...).</param>
/// <param name="TokensTrained">Tokens that went through the loss.</param>
public sealed record StepReport(Dictionary<string, double> Metrics, long TokensTrained);
