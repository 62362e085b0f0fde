using Rlsc.Core.Config;
using Rlsc.Runtime.Training.Loop;

namespace Rlsc.Runtime.Tests.Training;

public class ScheduleAndOrderTests
{
    [Test]
    public void ConstantScheduleWithoutWarmupIsThePeakEveryStep()
    {
        var o = new OptimizationOptions { LearningRate = 1e-5 };
        Assert.That(Enumerable.Range(1, 10).Select(s => LearningRateScheduler.At(s, 10, o)), Is.All.EqualTo(1e-5));
    }

    [Test]
    public void WarmupRisesLinearlyThenCosineDecaysToTheFloorAtTheLastStep()
    {
        var o = new OptimizationOptions { LearningRate = 1.0, WarmupSteps = 4, Schedule = LearningRateSchedule.Cosine, FinalLearningRateRatio = 0.1 };
        double[] lr = Enumerable.Range(1, 10).Select(s => LearningRateScheduler.At(s, 10, o)).ToArray();
        Assert.That(lr[..4], Is.EqualTo(new[] { 0.25, 0.5, 0.75, 1.0 }).Within(1e-15));
        Assert.That(lr[4], Is.EqualTo(1.0).Within(1e-15), "first step after the warm-up is at the peak");
        Assert.That(lr[9], Is.EqualTo(0.1).Within(1e-15), "last step is at the floor");
        Assert.That(lr[6], Is.EqualTo(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 2 / 5))).Within(1e-15));
        Assert.That(lr[4..], Is.Ordered.Descending);
    }

    [Test]
    public void LinearDecayEndsAtTheFloor()
    {
        var o = new OptimizationOptions { LearningRate = 2.0, Schedule = LearningRateSchedule.Linear, FinalLearningRateRatio = 0.5 };
        Assert.That(Enumerable.Range(1, 5).Select(s => LearningRateScheduler.At(s, 5, o)), Is.EqualTo(new[] { 2.0, 1.75, 1.5, 1.25, 1.0 }).Within(1e-15));
    }

    [Test]
    public void OrderIsASeededPermutationPerEpochAndResumesFromItsPosition()
    {
        var order = new ExampleOrder(7, seed: 5, shuffle: true);
        int[] first = Enumerable.Range(0, 7).Select(_ => order.Next()).ToArray();
        int[] second = Enumerable.Range(0, 7).Select(_ => order.Next()).ToArray();
        Assert.That(first, Is.EquivalentTo(Enumerable.Range(0, 7)));
        Assert.That(second, Is.EquivalentTo(Enumerable.Range(0, 7)));
        Assert.That(second, Is.Not.EqualTo(first), "each epoch has its own order");
        Assert.That(first, Is.Not.EqualTo(Enumerable.Range(0, 7)), "shuffled");

        var resumed = new ExampleOrder(7, seed: 5, shuffle: true, position: 10);
        Assert.That(Enumerable.Range(0, 4).Select(_ => resumed.Next()), Is.EqualTo(second[3..]));
        Assert.That(new ExampleOrder(7, seed: 6, shuffle: true).CurrentPermutation, Is.Not.EqualTo(first));
        var plain = new ExampleOrder(3, seed: 5, shuffle: false);
        Assert.That(Enumerable.Range(0, 5).Select(_ => plain.Next()), Is.EqualTo(new[] { 0, 1, 2, 0, 1 }));
    }

    [Test]
    public void SeedsDependOnEveryPart()
    {
        long a = SeedMixer.Mix(42, 1, 0), b = SeedMixer.Mix(42, 1, 1), c = SeedMixer.Mix(42, 2, 0), d = SeedMixer.Mix(43, 1, 0);
        Assert.That(new[] { a, b, c, d }, Is.Unique);
        Assert.That(SeedMixer.Mix(42, 1, 0), Is.EqualTo(a));
        Assert.That(new[] { a, b, c, d }, Is.All.GreaterThanOrEqualTo(0));
    }
}
