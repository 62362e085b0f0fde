namespace Rlsc.Core.Evaluation.Runner;

/// <summary>Progress of a run: problems done of the suite's total (the CLI draws a bar or prints lines).</summary>
public sealed record EvaluationProgress(string Suite, int Done, int Total, string Stage);
