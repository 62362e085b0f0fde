


namespace Rlsc.Core.Evaluation.Reports;

/// <summary>
/// One line of problems.jsonl: a problem, its samples and their grades, and the per-problem aggregates that the
/// suite metrics are computed from (so that merging shards reproduces a single run's summary exactly).
/// Lists are per sample, in sample order.
/// </summary>
public sealed record ProblemRecord
{
    public required string Suite { get; init; }
    /// <summary>0-based line number in the suite's data file.</summary>
    public required int Index { get; init; }
    public required string Id { get; init; }
    /// <summary>The rendered prompt (chat template applied to the question).</summary>
    public required string Prompt { get; init; }
    public required string Gold { get; init; }
    public required IReadOnlyList<string> Responses { get; init; }
    /// <summary>Extracted answer per sample; null where extraction failed.</summary>
    public required IReadOnlyList<string?> Extracted { get; init; }
    /// <summary>Extraction rule per sample (boxed, the_answer_is, final_answer_is, last_number, none).</summary>
    public required IReadOnlyList<string> Rules { get; init; }
    public required IReadOnlyList<bool> Correct { get; init; }
    /// <summary>Response length per sample, in <see cref="LengthUnit"/>.</summary>
    public required IReadOnlyList<int> Lengths { get; init; }
    /// <summary>"tokens" when the token counts are known (generating mode, or given in predictions), else "chars".</summary>
    public required string LengthUnit { get; init; }
    /// <summary>Why generation stopped per sample (stop, length, ...); null in predictions mode.</summary>
    public IReadOnlyList<string>? FinishReasons { get; init; }
    /// <summary>The majority answer (grader equivalence), null when no sample has an answer.</summary>
    public string? Majority { get; init; }
    public required bool MajorityCorrect { get; init; }
    /// <summary>Share of samples whose answer is the majority answer (failures count as disagreeing).</summary>
    public required double Agreement { get; init; }
    /// <summary>Seconds spent on this problem (generation and grading); not part of any compared metric.</summary>
    public double Seconds { get; init; }

    public int Samples => Responses.Count;
    public int CorrectCount => Correct.Count(c => c);
}
