using Rlsc.Runtime.Training.Plan;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Core.Config;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>The memory plan's exact parts (weights, gradients, AdamW state, KV cache) by hand, and its phase arithmetic.</summary>
public class MemoryPlanTests
{
    // Qwen2.5-Math-7B's shape: 7.6B parameters, 28 layers, 4 KV heads of 128.
    static readonly ModelConfig SevenB = ModelPresets.Get("qwen2.5-math-7b").For(0);

    static FineTuneConfig Paper() => new() { Sampling = { SamplesPerQuestion = 16, MaxNewTokens = 3072 } };

    static long Part(MemoryPlan plan, string name) => plan.Parts.Single(p => p.Name == name).Bytes;

    [Test]
    public void FullFineTuningOfSevenBNeedsSixteenBytesPerParameterAndDoesNotFitEightyGigabytes()
    {
        var plan = MemoryPlanner.Estimate(SevenB, Paper(), lora: false, promptTokens: 200, weightBytes: 4, deviceBytes: 80L << 30, cuda: true);
        long p = SevenB.ParameterCount;
        Assert.That(Part(plan, "weights"), Is.EqualTo(4 * p));
        Assert.That(Part(plan, "gradients"), Is.EqualTo(4 * p));
        Assert.That(Part(plan, "optimizer state"), Is.EqualTo(8 * p));
        Assert.That(plan.Fits, Is.False, "~120 GB of weights, gradients and moments");
    }

    [Test]
    public void LoraTrainsRankTimesInPlusOutPerProjectionAndFits()
    {
        var plan = MemoryPlanner.Estimate(SevenB, Paper(), lora: true, promptTokens: 200, weightBytes: 2, deviceBytes: 80L << 30, cuda: true);
        long c = 3584, q = 28 * 128, kv = 4 * 128, i = 18944;
        long adapters = 28L * 16 * ((c + q) + 2 * (c + kv) + (q + c) + 3 * (c + i));
        Assert.That(Part(plan, "gradients"), Is.EqualTo(4 * adapters));
        Assert.That(Part(plan, "weights"), Is.EqualTo(2 * SevenB.ParameterCount + 4 * adapters));
        // KV cache: 16 sequences of 3,272 tokens, 28 layers, keys and values of 4 x 128, bfloat16.
        Assert.That(Part(plan, "KV cache"), Is.EqualTo(16L * 2 * 28 * 512 * 3272 * 2));
        Assert.That(plan.Fits, Is.True);
    }

    [Test]
    public void ThePeakIsWhatIsAlwaysHeldPlusTheLargerPhase()
    {
        var plan = MemoryPlanner.Estimate(SevenB, Paper(), lora: true, promptTokens: 200, weightBytes: 2, deviceBytes: 80L << 30, cuda: true);
        long Sum(string phase) => plan.Parts.Where(p => p.Phase == phase).Sum(p => p.Bytes);
        Assert.That(plan.PeakBytes, Is.EqualTo(Sum("always") + Math.Max(Sum("sampling"), Sum("training"))));
        Assert.That(plan.Parts.Select(p => p.Phase).Distinct(), Is.EquivalentTo(new[] { "always", "sampling", "training" }));
    }
}
