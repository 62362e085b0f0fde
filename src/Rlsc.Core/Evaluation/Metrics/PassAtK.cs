namespace Rlsc.Core.Evaluation.Metrics;

/// <summary>
/// The unbiased pass@k estimator of Chen et al. (2021, "Evaluating Large Language Models Trained on Code"):
/// with n samples of which c are correct, pass@k = 1 - C(n-c, k) / C(n, k), computed as the product
/// 1 - Π_{i=n-c+1..n} (1 - k/i) so that no binomial coefficient overflows.
/// </summary>
public static class PassAtK
{
    public static double Estimate(int n, int c, int k)
    {
        if (n < 1 || k < 1 || k > n || c < 0 || c > n)
            throw new ArgumentOutOfRangeException(nameof(k), $"pass@k needs 1 <= k <= n and 0 <= c <= n (n={n}, c={c}, k={k}).");
        if (n - c < k) return 1.0;
        double allWrong = 1.0;
        for (int i = n - c + 1; i <= n; i++) allWrong *= 1.0 - (double)k / i;
        return 1.0 - allWrong;
    }

    /// <summary>The k reported for n samples: powers of two below n, and n itself (1, 2, 4, 8, 16 for n = 16; 1, 2, 4, 5 for n = 5).</summary>
    public static IReadOnlyList<int> ReportedKs(int n)
    {
        var ks = new List<int>();
        for (int k = 1; k < n; k *= 2) ks.Add(k);
        ks.Add(n);
        return ks;
    }
}
