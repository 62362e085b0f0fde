namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// A progress event of a training run, for the CLI's display (a bar on a terminal, plain lines in CI logs).
/// </summary>
/// <param name="Kind">finetune or sft.</param>
/// <param name="Step">The step in progress (or just completed, for phase "step").</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Phase">loading, sampling, training, optimizer, checkpoint, step (completed; Metrics set), done.</param>
/// <param name="Detail">E.g. "question 2/4, 318 tokens" or "micro-batch 3/8".</param>
/// <param name="Metrics">The completed step's metrics (phase "step").</param>
public sealed record TrainingProgress(
    string Kind, int Step, int TotalSteps, string Phase, string? Detail = null, IReadOnlyDictionary<string, double>? Metrics = null);
