namespace Rlsc.Training;

/// <summary>
/// How much a question's N sampled answers agree: the paper's objective, the chance that two independent samples
/// agree (sum_y p(y)^2), estimated at the level of the extracted answer.
/// </summary>
/// <param name="PairAgreement">Fraction of ordered pairs (i != j) with the same extracted answer; a sample
/// without an answer agrees with none. The unbiased estimate of sum_a p(a)^2. NaN for N = 1.</param>
/// <param name="MajorityFraction">Share of samples giving the most frequent answer.</param>
/// <param name="ExtractedFraction">Share of samples with an extractable answer.</param>
public sealed record AnswerAgreement(double PairAgreement, double MajorityFraction, double ExtractedFraction)
{
    public static AnswerAgreement Of(IReadOnlyList<string?> answers)
    {
        int n = answers.Count;
        var groups = answers.Where(a => a is not null).GroupBy(a => a!, StringComparer.Ordinal).Select(g => (long)g.Count()).ToList();
        long agreeingPairs = groups.Sum(c => c * (c - 1));
        return new AnswerAgreement(
            n < 2 ? double.NaN : (double)agreeingPairs / ((long)n * (n - 1)),
            groups.Count == 0 ? 0 : (double)groups.Max() / n,
            (double)groups.Sum() / n);
    }
}
