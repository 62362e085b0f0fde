using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Sampling;

namespace Rlsc.Runtime.Tests.Sampling;

/// <summary>
/// The sampler draws from the right distribution: a chi-square goodness-of-fit test on a small vocabulary with
/// many seeded draws, against probabilities computed independently in float64. The statistic must stay below the
/// 0.1% critical value, and the same draws must fail against a slightly different distribution (power check).
/// </summary>
public class TokenSamplerTests
{
    const int Draws = 40_000;

    // 12 tokens: 3 blocks of 4 in the two-level search.
    static readonly double[] Small = [2.0, 1.5, 1.4, 0.3, 0.0, -0.2, -0.5, -1.0, -1.3, -2.0, -2.5, 1.0];
    // 40 tokens: 5 blocks of 7 and a shorter last block of 5; most of the mass on a few tokens, the rest spread thin.
    static readonly double[] Wide = Enumerable.Range(0, 40).Select(i => (i % 13 == 5 ? 2.5 - i / 20.0 : -1.0 - (i * 7 % 11) / 5.0) - i * 1e-3).ToArray();  // no ties: the nucleus is well defined

    static double[] Logits = Small;
    static int Vocab => Logits.Length;

    [SetUp]
    public void SetUp()
    {
        TorchLoader.EnsureLoaded();
        Logits = Small;
    }

    // Independent float64 model of HF's filtering: temperature, then top-k, then top-p over the renormalised top-k.
    static double[] Expected(double temperature, int topK, double topP)
    {
        var p = Softmax(Logits.Select(l => l / temperature).ToArray());
        var order = Enumerable.Range(0, Vocab).OrderByDescending(i => p[i]).ToArray();
        var kept = new HashSet<int>(topK > 0 ? order.Take(topK) : order);
        double keptMass = kept.Sum(i => p[i]);
        if (topP < 1)
        {
            double before = 0;
            var nucleus = new HashSet<int>();
            foreach (int i in order.Where(kept.Contains))
            {
                if (before >= topP) break;
                nucleus.Add(i);
                before += p[i] / keptMass;
            }
            kept = nucleus;
        }
        double mass = kept.Sum(i => p[i]);
        return Enumerable.Range(0, Vocab).Select(i => kept.Contains(i) ? p[i] / mass : 0).ToArray();
    }

    static double[] Softmax(double[] x)
    {
        double max = x.Max();
        var e = x.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    static (long[] Counts, Tensor Tokens, Tensor LogProbs) Draw(float temperature, int topK, float topP, ulong seed)
    {
        var logits = tensor(Logits.Select(l => (float)l).ToArray()).unsqueeze(0).expand(Draws, Vocab).contiguous();
        var uniforms = rand(Draws, generator: new Generator(seed));
        var (tokens, logProbs) = TokenSampler.Sample(logits, temperature, topP, topK, uniforms);
        var counts = new long[Vocab];
        foreach (long t in tokens.data<long>().ToArray()) counts[t]++;
        return (counts, tokens, logProbs);
    }

    static double ChiSquare(long[] counts, double[] expected) =>
        Enumerable.Range(0, Vocab).Where(i => expected[i] > 0).Sum(i => Math.Pow(counts[i] - Draws * expected[i], 2) / (Draws * expected[i]));

    // The 0.1% critical value of chi-square with `degrees` degrees of freedom (Wilson-Hilferty; within 1% of the
    // tables: 10.83 at 1 -> 10.9, 31.26 at 11 -> 31.3, 72.05 at 39 -> 72.1).
    static double Critical(int degrees)
    {
        const double z = 3.0902;  // the normal's 99.9% quantile
        double k = degrees, a = 2 / (9 * k);
        return k * Math.Pow(1 - a + z * Math.Sqrt(a), 3);
    }

    [TestCase(false, 1.0f, 0, 1.0f)]
    [TestCase(false, 0.5f, 0, 1.0f)]
    [TestCase(false, 1.3f, 0, 1.0f)]
    [TestCase(false, 1.0f, 5, 1.0f)]
    [TestCase(false, 1.0f, 0, 0.8f)]
    [TestCase(false, 0.7f, 6, 0.9f)]
    [TestCase(true, 1.0f, 0, 1.0f)]
    [TestCase(true, 0.6f, 0, 1.0f)]
    [TestCase(true, 1.0f, 0, 0.95f)]
    public void DrawsFollowTheFilteredDistribution(bool wide, float temperature, int topK, float topP)
    {
        Logits = wide ? Wide : Small;
        using var scope = NewDisposeScope();
        var expected = Expected(temperature, topK, topP);
        var (counts, _, _) = Draw(temperature, topK, topP, seed: 42);

        int support = expected.Count(p => p > 0);
        Assert.That(Enumerable.Range(0, Vocab).Where(i => expected[i] == 0).Sum(i => counts[i]), Is.Zero, "filtered tokens are never drawn");
        Assert.That(ChiSquare(counts, expected), Is.LessThan(Critical(support - 1)), string.Join(", ", counts));

        // Power: the same draws are rejected against a nearby distribution (a slightly different temperature).
        var other = Expected(temperature * 1.15, topK, topP);
        Assert.That(ChiSquare(counts, other), Is.GreaterThan(Critical(support - 1)), "the test must be able to tell the distributions apart");
    }

    [TestCase(1.0f, 0, 1.0f)]
    [TestCase(0.5f, 3, 0.7f)]
    public void LogProbsAreTheFullVocabularyLogSoftmax(float temperature, int topK, float topP)
    {
        using var scope = NewDisposeScope();
        var (_, tokens, logProbs) = Draw(temperature, topK, topP, seed: 1);
        var full = Softmax(Logits.Select(l => l / temperature).ToArray());
        var ids = tokens.data<long>().ToArray();
        var lps = logProbs.data<float>().ToArray();
        for (int i = 0; i < 200; i++)
            Assert.That(lps[i], Is.EqualTo(Math.Log(full[ids[i]])).Within(1e-5), "p_old is unfiltered");
    }

    [Test]
    public void GreedyPicksTheArgmaxAndReportsTemperatureOneLogProbs()
    {
        using var scope = NewDisposeScope();
        var logits = randn([5, 50], generator: new Generator(3));
        var (tokens, logProbs) = TokenSampler.Sample(logits, 0, 1, 0, zeros(5));
        Assert.That(tokens.data<long>().ToArray(), Is.EqualTo(logits.argmax(-1).data<long>().ToArray()));
        var expected = logits.log_softmax(-1).gather(-1, tokens.unsqueeze(-1)).squeeze(-1);
        Assert.That(logProbs.allclose(expected, rtol: 0, atol: 1e-6));
    }

    [TestCase(1000)]   // nucleus ~900: past the first 64 candidates, found by doubling
    [TestCase(3000)]   // nucleus ~2,700: past 1,024 candidates, found by sorting the row
    public void ANucleusLargerThanTheFirstCandidatesIsStillExact(int vocab)
    {
        // A nearly flat distribution: the nucleus of 0.9 holds ~90% of the tokens.
        using var scope = NewDisposeScope();
        var logits = 0.001 * randn([vocab], generator: new Generator(4));
        var order = logits.argsort(descending: true).data<long>().ToArray();
        var probabilities = logits.to(ScalarType.Float64).softmax(0).data<double>().ToArray();
        // Tokens whose mass before them is below 0.9. Near the boundary float32 may round neighbouring weights to
        // ties and order them differently, so a margin of a few tokens' mass is allowed.
        double margin = 3 * probabilities.Max();
        int size = 0;
        for (double before = 0; before < 0.9 + margin; size++) before += probabilities[order[size]];
        var nucleus = order.Take(size).ToHashSet();
        var draws = TokenSampler.Sample(logits.unsqueeze(0).expand(4000, vocab), 1, 0.9f, 0, rand(4000, generator: new Generator(6))).Tokens.data<long>().ToArray();
        Assert.That(draws.Count(t => !nucleus.Contains(t)), Is.Zero, "only nucleus tokens");
        Assert.That(draws.Distinct().Count(), Is.GreaterThan(Math.Min(size, 4000) * 0.5), "draws reach deep into the nucleus");
    }
}
