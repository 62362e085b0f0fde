namespace Rlsc.Core.Evaluation.Suites;

/// <summary>One problem of a suite.</summary>
/// <param name="Index">0-based line number in the suite's JSONL file (the key predictions refer to).</param>
/// <param name="Id">The record's id field, or the index as text.</param>
/// <param name="Question">The question put into the prompt.</param>
/// <param name="Gold">The gold answer; null only for an unlabeled split loaded without gold.</param>
/// <param name="Tolerance">An absolute tolerance the record gives for its numeric answer (gold.tolerance_field), else null.</param>
public sealed record SuiteProblem(int Index, string Id, string Question, string? Gold, double? Tolerance = null);
