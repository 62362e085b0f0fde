namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// A training question as RLSC sees it: the text and where it came from, nothing else. There is deliberately
/// no field for an answer or a solution: training cannot use what it never holds.
/// </summary>
/// <param name="Index">0-based line index in the source file (its position among the questions).</param>
/// <param name="Id">The line's own id when it has one ("id", "unique_id" or "idx"), for the samples log.</param>
/// <param name="Text">The question.</param>
public sealed record TrainingQuestion(int Index, string? Id, string Text);
