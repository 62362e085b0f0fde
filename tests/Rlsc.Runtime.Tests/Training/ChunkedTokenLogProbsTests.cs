using Rlsc.Runtime.Platform;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// The chunked LM head + log-softmax (ChunkedTokenLogProbs) against a plain float64 autograd computation on random
/// data: values and gradients of log p(target) and of the entropy, with respect to the hidden rows and the head
/// weight, for chunk sizes that split the rows unevenly, at one row per chunk and at all rows in one chunk.
/// </summary>
public class ChunkedTokenLogProbsTests
{
    const int N = 13, C = 24, V = 97;
    const double Temperature = 0.7;

    [OneTimeSetUp]
    public void LoadTorch() => TorchLoader.EnsureLoaded();

    sealed record Problem(Tensor Hidden, Tensor Weight, Tensor Targets, Tensor LogProbWeights, Tensor EntropyWeights);

    /// <summary>Random hidden rows and head scaled so the distributions are neither uniform nor one-hot.</summary>
    static Problem RandomProblem(ulong seed)
    {
        var g = new Generator(seed);
        return new Problem(
            randn([N, C], dtype: ScalarType.Float64, generator: g) * 1.5,
            randn([V, C], dtype: ScalarType.Float64, generator: g) * 0.4,
            randint(0, V, [N], dtype: ScalarType.Int64, generator: g),
            randn([N], dtype: ScalarType.Float64, generator: g),
            randn([N], dtype: ScalarType.Float64, generator: g));
    }

    /// <summary>The textbook computation in float64: full logits, log_softmax, gather; entropy -sum p log p.</summary>
    static (Tensor LogProbs, Tensor Entropy, Tensor HiddenGrad, Tensor WeightGrad) Reference(Problem p, bool entropyInLoss)
    {
        var h = p.Hidden.clone().requires_grad_(true);
        var w = p.Weight.clone().requires_grad_(true);
        var logProbsAll = nn.functional.log_softmax(nn.functional.linear(h, w) / Temperature, dim: -1);  // (N, V)
        var logProbs = logProbsAll.gather(1, p.Targets.unsqueeze(1)).squeeze(1);
        var entropy = -(logProbsAll.exp() * logProbsAll).sum(1);
        var loss = (p.LogProbWeights * logProbs).sum() + (entropyInLoss ? (p.EntropyWeights * entropy).sum() : 0.0);
        loss.backward();
        return (logProbs.detach(), entropy.detach(), h.grad!.clone(), w.grad!.clone());
    }

    static (Tensor LogProbs, Tensor Entropy, Tensor HiddenGrad, Tensor WeightGrad) Chunked(Problem p, ScalarType dtype, long chunkElements, bool entropyInLoss)
    {
        // Fresh leaves (to_type to the same dtype would return the problem's own tensor and accumulate into it).
        var h = p.Hidden.to_type(dtype).clone().requires_grad_(true);
        var w = p.Weight.to_type(dtype).clone().requires_grad_(true);
        var scores = ChunkedTokenLogProbs.Compute(h, w, p.Targets, Temperature, chunkElements);
        var loss = (p.LogProbWeights.to_type(dtype) * scores.LogProbs).sum();
        if (entropyInLoss) loss = loss + (p.EntropyWeights.to_type(dtype) * scores.Entropy).sum();
        loss.backward();
        return (scores.LogProbs.detach().to_type(ScalarType.Float64), scores.Entropy.detach().to_type(ScalarType.Float64),
            h.grad!.to_type(ScalarType.Float64).clone(), w.grad!.to_type(ScalarType.Float64).clone());
    }

    /// <summary>max |a - b| / max |b|: relative to the tensor's scale, so entries near 0 do not dominate.</summary>
    static double ScaledError(Tensor a, Tensor b) => (a - b).abs().max().item<double>() / b.abs().max().item<double>();

    // Rows per chunk = chunkElements / V: 1, 4 (13 = 4+4+4+1), 13 (one chunk). Tolerances: in float64 the same
    // formulas in another order of summation round at ~1e-15. In float32 (epsilon 1.2e-7) the inputs' own rounding
    // moves logits of magnitude ~10 built from 24 products by ~2e-5 absolute, ~2e-6 of the largest log p: 1e-5
    // leaves room for that while any formula mistake (a missing 1/T, a wrong sign in the entropy term) moves a value
    // by more than 1e-2.
    static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (dtype, values, gradients) in new[] { (ScalarType.Float64, 1e-12, 1e-12), (ScalarType.Float32, 1e-5, 5e-5) })
            foreach (long rows in new long[] { 1, 4, 13 })
                foreach (bool entropy in new[] { false, true })
                    yield return new TestCaseData(dtype, rows * V, entropy, values, gradients)
                        .SetName($"{{m}}({dtype}, rows per chunk {rows}, entropy in loss {entropy})");
    }

    [TestCaseSource(nameof(Cases))]
    public void EqualsTheFloat64FullComputation(ScalarType dtype, long chunkElements, bool entropyInLoss, double valueTolerance, double gradientTolerance)
    {
        using var scope = NewDisposeScope();
        var p = RandomProblem(seed: 5);
        var expected = Reference(p, entropyInLoss);
        var actual = Chunked(p, dtype, chunkElements, entropyInLoss);
        Assert.Multiple(() =>
        {
            Assert.That(ScaledError(actual.LogProbs, expected.LogProbs), Is.LessThan(valueTolerance), "log p");
            Assert.That(ScaledError(actual.Entropy, expected.Entropy), Is.LessThan(valueTolerance), "entropy");
            Assert.That(ScaledError(actual.HiddenGrad, expected.HiddenGrad), Is.LessThan(gradientTolerance), "d/d hidden");
            Assert.That(ScaledError(actual.WeightGrad, expected.WeightGrad), Is.LessThan(gradientTolerance), "d/d weight");
        });
    }

    [Test]
    public void TheEntropyGradientIsNotTheLogProbGradient()
    {
        // Guards the test above: with the entropy in the loss the gradients must differ, else it checks nothing.
        using var scope = NewDisposeScope();
        var p = RandomProblem(seed: 5);
        var without = Chunked(p, ScalarType.Float64, 4 * V, entropyInLoss: false);
        var with = Chunked(p, ScalarType.Float64, 4 * V, entropyInLoss: true);
        Assert.That(ScaledError(with.WeightGrad, without.WeightGrad), Is.GreaterThan(1e-3));
    }

    [Test]
    public void AFrozenHeadGetsNoGradientAndTheHiddenRowsStillDo()
    {
        using var scope = NewDisposeScope();
        var p = RandomProblem(seed: 3);
        var expected = Reference(p, entropyInLoss: false);
        var h = p.Hidden.clone().requires_grad_(true);
        var w = p.Weight.clone();   // frozen, as under LoRA
        var scores = ChunkedTokenLogProbs.Compute(h, w, p.Targets, Temperature, 4 * V);
        (p.LogProbWeights * scores.LogProbs).sum().backward();
        Assert.That(w.grad, Is.Null);
        Assert.That(ScaledError(h.grad!, expected.HiddenGrad), Is.LessThan(1e-12));
    }

    [Test]
    public void WithoutGradientsItOnlyComputesValues()
    {
        using var scope = NewDisposeScope();
        var p = RandomProblem(seed: 7);
        var expected = Reference(p, entropyInLoss: false);
        using var _ = no_grad();
        var scores = ChunkedTokenLogProbs.Compute(p.Hidden, p.Weight, p.Targets, Temperature, 5 * V);
        Assert.That(scores.LogProbs.requires_grad, Is.False);
        Assert.That(ScaledError(scores.LogProbs, expected.LogProbs), Is.LessThan(1e-12));
    }
}
