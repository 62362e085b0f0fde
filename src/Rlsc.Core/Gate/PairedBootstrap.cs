namespace Rlsc.Core.Gate;

/// <summary>
/// The outcome of the paired test of a model against its base on the same problems.
/// </summary>
/// <param name="Problems">Problems compared.</param>
/// <param name="MeanDifference">Mean over problems of (model score − base score): the change of the metric.</param>
/// <param name="Low">Lower end of the two-sided (1 − 2α) percentile interval of the change: the one-sided (1 − α) lower bound.</param>
/// <param name="High">Upper end of that interval: the one-sided (1 − α) upper bound.</param>
/// <param name="PWorse">One-sided p-value for "the model is worse than its base" (small: evidence of a regression).</param>
/// <param name="PGain">One-sided p-value for "the change exceeds the required gain" (small: the gain is shown).</param>
public sealed record PairedTestResult(int Problems, double MeanDifference, double Low, double High, double PWorse, double PGain);

/// <summary>
/// The paired bootstrap over problems: resample the n per-problem differences d_i = model_i − base_i with
/// replacement B times and look at the resampled means m*_b. Pairing removes the between-problem variance (a hard
/// problem is hard for both models), which is most of it, so the test sees a change far smaller than either
/// model's own interval.
///
///     p_worse = (1 + #{b : m*_b ≥ 0}) / (B + 1)        reject "not worse" when p_worse &lt; α
///     p_gain  = (1 + #{b : m*_b ≤ D}) / (B + 1)        show "gain &gt; D" when p_gain &lt; α
///
/// and the interval is the α and 1 − α percentiles of the sorted m*_b (entries ⌊αB⌋ and ⌈(1 − α)B⌉ − 1).
/// The +1 keeps a p-value from being 0 with finitely many resamples. The resampling is deterministic: SplitMix64
/// from a fixed seed, index = next() mod n, B = 10,000, so the same files give the same verdict on any machine.
/// eng/gate/reference.py recomputes the same procedure in float64 (PairedBootstrapTests).
/// </summary>
public static class PairedBootstrap
{
    public const int Resamples = 10_000;
    public const ulong Seed = 18;

    public static PairedTestResult Run(IReadOnlyList<double> differences, double alpha, double minGain,
        int resamples = Resamples, ulong seed = Seed)
    {
        int n = differences.Count;
        if (n == 0) throw new ArgumentException("the paired test needs at least one problem", nameof(differences));
        if (alpha is not (> 0 and < 0.5)) throw new ArgumentOutOfRangeException(nameof(alpha));
        var means = new double[resamples];
        ulong state = seed;
        for (int b = 0; b < resamples; b++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
                sum += differences[(int)(NextSplitMix64(ref state) % (ulong)n)];
            means[b] = sum / n;
        }
        int notWorse = means.Count(m => m >= 0);
        int notAboveGain = means.Count(m => m <= minGain);
        Array.Sort(means);
        int lowIndex = (int)Math.Floor(alpha * resamples);
        int highIndex = Math.Min(resamples - 1, (int)Math.Ceiling((1 - alpha) * resamples) - 1);
        double mean = 0;
        for (int i = 0; i < n; i++) mean += differences[i];
        mean /= n;
        return new PairedTestResult(n, mean, means[lowIndex], means[highIndex],
            (1.0 + notWorse) / (resamples + 1), (1.0 + notAboveGain) / (resamples + 1));
    }

    // SplitMix64 (Steele, Lea and Flood 2014): a fixed, portable stream that the float64 reference reproduces exactly.
    static ulong NextSplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
