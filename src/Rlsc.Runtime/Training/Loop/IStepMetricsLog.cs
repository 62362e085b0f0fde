namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// Somewhere besides metrics.jsonl that a run's per-step metrics go (training.report_to: TensorBoard). The
/// session calls it right after it writes the step's metrics.jsonl line, with the same values.
/// </summary>
public interface IStepMetricsLog
{
    void Write(int step, int epoch, IReadOnlyDictionary<string, double> metrics);
}
