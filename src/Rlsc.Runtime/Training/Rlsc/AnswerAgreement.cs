namespace Rlsc.Runtime.Training.Rlsc;

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
    /// <param name="answers">The samples' extracted answers (null: none).</param>
    /// <param name="equal">When two answers are the same (the evaluation grader: "0.5" equals "rac{1}{2}").</param>
    public static AnswerAgreement Of(IReadOnlyList<string?> answers, Func<string, string, bool> equal)
    {
        int n = answers.Count;
        // Classes of equal answers: each answer joins the first class whose first member it equals.
        var classes = new List<(string Representative, long Count)>();
        foreach (string? answer in answers)
        {
            if (answer is null) continue;
            int k = classes.FindIndex(c => equal(answer, c.Representative));
            if (k >= 0) classes[k] = (classes[k].Representative, classes[k].Count + 1);
            else classes.Add((answer, 1));
        }
        var groups = classes.Select(c => c.Count).ToList();
        long agreeingPairs = groups.Sum(c => c * (c - 1));
        return new AnswerAgreement(
            n < 2 ? double.NaN : (double)agreeingPairs / ((long)n * (n - 1)),
            groups.Count == 0 ? 0 : (double)groups.Max() / n,
            (double)groups.Sum() / n);
    }
}
