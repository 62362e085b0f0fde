using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Core.Config;
using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Training.Rlsc;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// The RLSC loss and its gradient against a hand computation in float64 loops: both weightings, alpha 0 and
/// > 0, sum and mean, renormalisation, prompt and padding masked out, temperature inside the log-softmax.
/// </summary>
public class RlscLossTests
{
    const int B = 3, T = 7, V = 5, PromptLength = 2;
    static readonly int[] CompletionLengths = [5, 3, 1];   // the rest of each row is padding
    const double Temperature = 0.7;

    [OneTimeSetUp]
    public void LoadTorch() => TorchLoader.EnsureLoaded();

    static IEnumerable<TestCaseData> Cases()
    {
        foreach (var weighting in new[] { Weighting.Paper, Weighting.Normalized })
        foreach (double alpha in new[] { 0.0, 0.1 })
        foreach (var reduction in new[] { Reduction.Mean, Reduction.Sum })
            yield return new TestCaseData(weighting, alpha, reduction, false);
        yield return new TestCaseData(Weighting.Paper, 0.1, Reduction.Mean, true);
        yield return new TestCaseData(Weighting.Normalized, 0.3, Reduction.Sum, true);
    }

    [TestCaseSource(nameof(Cases))]
    public void LossAndGradientEqualAHandComputation(Weighting weighting, double alpha, Reduction reduction, bool renormalize)
    {
        using var scope = NewDisposeScope();
        var (logitsData, ids, mask) = HandMadeBatch(seed: 7);

        // Reference, by hand in float64 loops.
        double[] seqLogProb = new double[B];
        for (int b = 0; b < B; b++)
            for (int t = 1; t < T; t++)
                if (mask[b, t] == 1) seqLogProb[b] += LogSoftmax(logitsData, b, t - 1)[ids[b, t]];
        double[] w = weighting == Weighting.Paper
            ? seqLogProb.Select(Math.Exp).ToArray()
            : Softmax(seqLogProb);
        double[] c = w.Select(x => x + alpha).ToArray();
        if (renormalize) c = c.Select(x => x / c.Sum()).ToArray();
        double scale = reduction == Reduction.Mean ? 1.0 / B : 1.0;
        double expectedLoss = -scale * Enumerable.Range(0, B).Sum(b => c[b] * seqLogProb[b]);
        var expectedGrad = new double[B, T, V];
        for (int b = 0; b < B; b++)
            for (int t = 1; t < T; t++)
            {
                if (mask[b, t] == 0) continue;
                double[] p = LogSoftmax(logitsData, b, t - 1).Select(Math.Exp).ToArray();
                for (int v = 0; v < V; v++)
                    expectedGrad[b, t - 1, v] = -scale * c[b] * ((v == ids[b, t] ? 1 : 0) - p[v]) / Temperature;
            }

        // The implementation.
        var logits = tensor(Flatten(logitsData), [B, T, V], ScalarType.Float64).requires_grad_();
        var scores = TokenScores.FromLogits(logits, tensor(Flatten(ids), [B, T]), tensor(Flatten(mask), [B, T]), Temperature);
        var objective = new RlscObjective(new RlscLossOptions { Weighting = weighting, Alpha = alpha, SampleReduction = reduction, Renormalize = renormalize });
        var sequence = scores.SequenceLogProbs();
        var coefficients = objective.Coefficients(objective.Weights(sequence));
        var loss = RlscObjective.Loss(sequence, coefficients, objective.Scale(B, 1));
        loss.backward();

        for (int b = 0; b < B; b++)
            Assert.That(sequence[b].item<double>(), Is.EqualTo(seqLogProb[b]).Within(1e-12), $"log p(y_{b}|x)");
        Assert.That(loss.item<double>(), Is.EqualTo(expectedLoss).Within(1e-12));
        var grad = logits.grad!;
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                for (int v = 0; v < V; v++)
                    Assert.That(grad[b, t, v].item<double>(), Is.EqualTo(expectedGrad[b, t, v]).Within(1e-12),
                        $"d loss / d logits[{b},{t},{v}] ({(t + 1 < T && mask[b, t + 1] == 1 ? "completion" : "prompt or padding")})");
    }

    [Test]
    public void EntropyIsThatOfTheTemperatureDistributionAtCompletionTokensOnly()
    {
        using var scope = NewDisposeScope();
        var (logitsData, ids, mask) = HandMadeBatch(seed: 11);
        var scores = TokenScores.FromLogits(tensor(Flatten(logitsData), [B, T, V], ScalarType.Float64),
            tensor(Flatten(ids), [B, T]), tensor(Flatten(mask), [B, T]), Temperature);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
            {
                double expected = 0;
                if (t > 0 && mask[b, t] == 1)
                    expected = -LogSoftmax(logitsData, b, t - 1).Sum(lp => Math.Exp(lp) * lp);
                Assert.That(scores.Entropy[b, t].item<double>(), Is.EqualTo(expected).Within(1e-12), $"entropy[{b},{t}]");
            }
        Assert.That(scores.Entropy.requires_grad, Is.False);
    }

    [Test]
    public void PaperWeightsUnderflowForLongCompletionsWhileNormalizedWeightsDoNot()
    {
        using var scope = NewDisposeScope();
        // A 3000-token completion has log p around -1000: exp() is 0 even in float64.
        var old = tensor(new[] { -1000.0, -1001.0, -1003.0 });
        var paper = new RlscObjective(new RlscLossOptions { Weighting = Weighting.Paper }).Weights(old);
        var normalized = new RlscObjective(new RlscLossOptions { Weighting = Weighting.Normalized }).Weights(old);
        Assert.That(paper.sum().item<double>(), Is.EqualTo(0.0));
        double z = 1 + Math.Exp(-1) + Math.Exp(-3);
        Assert.That(normalized[0].item<double>(), Is.EqualTo(1 / z).Within(1e-12));
        Assert.That(normalized[2].item<double>(), Is.EqualTo(Math.Exp(-3) / z).Within(1e-12));
    }

    [Test]
    public void MicroBatchLossesAddUpToTheWholeQuestionsLossAndGradient()
    {
        using var scope = NewDisposeScope();
        var (logitsData, ids, mask) = HandMadeBatch(seed: 3);
        var objective = new RlscObjective(new RlscLossOptions { Weighting = Weighting.Normalized, Alpha = 0.1 });

        var whole = tensor(Flatten(logitsData), [B, T, V], ScalarType.Float64).requires_grad_();
        var seq = TokenScores.FromLogits(whole, tensor(Flatten(ids), [B, T]), tensor(Flatten(mask), [B, T]), Temperature).SequenceLogProbs();
        var c = objective.Coefficients(objective.Weights(seq));
        var wholeLoss = RlscObjective.Loss(seq, c, objective.Scale(B, 1));
        wholeLoss.backward();

        var split = tensor(Flatten(logitsData), [B, T, V], ScalarType.Float64).requires_grad_();
        double total = 0;
        foreach (var rows in new[] { new long[] { 0, 2 }, new long[] { 1 } })
        {
            var index = tensor(rows);
            var part = TokenScores.FromLogits(split.index_select(0, index), tensor(Flatten(ids), [B, T]).index_select(0, index),
                tensor(Flatten(mask), [B, T]).index_select(0, index), Temperature).SequenceLogProbs();
            var loss = RlscObjective.Loss(part, c.index_select(0, index), objective.Scale(B, 1));
            loss.backward();
            total += loss.item<double>();
        }
        Assert.That(total, Is.EqualTo(wholeLoss.item<double>()).Within(1e-12));
        Assert.That((split.grad! - whole.grad!).abs().max().item<double>(), Is.LessThan(1e-12));
    }

    /// <summary>Random logits; prompt of 2 tokens; completions of 5, 3 and 1 tokens; padding id 4 after them.</summary>
    static (double[,,] Logits, long[,] Ids, long[,] Mask) HandMadeBatch(int seed)
    {
        var random = new Random(seed);
        var logits = new double[B, T, V];
        var ids = new long[B, T];
        var mask = new long[B, T];
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
            {
                for (int v = 0; v < V; v++) logits[b, t, v] = 2 * (random.NextDouble() * 2 - 1);
                bool completion = t >= PromptLength && t < PromptLength + CompletionLengths[b];
                bool padding = t >= PromptLength + CompletionLengths[b];
                ids[b, t] = padding ? V - 1 : random.Next(V);
                mask[b, t] = completion ? 1 : 0;
            }
        return (logits, ids, mask);
    }

    static double[] LogSoftmax(double[,,] logits, int b, int t)
    {
        double[] z = Enumerable.Range(0, V).Select(v => logits[b, t, v] / Temperature).ToArray();
        double max = z.Max();
        double logSum = max + Math.Log(z.Sum(x => Math.Exp(x - max)));
        return z.Select(x => x - logSum).ToArray();
    }

    static double[] Softmax(double[] x)
    {
        double max = x.Max();
        double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    static T2[] Flatten<T2>(T2[,,] a) => a.Cast<T2>().ToArray();
    static T2[] Flatten<T2>(T2[,] a) => a.Cast<T2>().ToArray();
}
