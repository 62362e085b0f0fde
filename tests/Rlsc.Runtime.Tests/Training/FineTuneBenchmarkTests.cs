using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Training.Rlsc;

namespace Rlsc.Runtime.Tests.Training;

public class FineTuneBenchmarkTests
{
    [Test]
    public void SplitsEachStepIntoSamplingForwardBackwardAndOptimizerAndAveragesAfterTheWarmUp()
    {
        TorchLoader.EnsureLoaded();
        string dir = Directory.CreateTempSubdirectory("rlsc-benchtest-").FullName;
        try
        {
            string model = TinyQwen.Write(Path.Combine(dir, "model"), seed: 2);
            var result = FineTuneBenchmark.Run(new FineTuneBenchmarkOptions { Model = model, Steps = 3, Samples = 2, MaxNewTokens = 4 });
            Assert.That(result.Steps.Select(s => s.Step), Is.EqualTo(new[] { 1, 2, 3 }));
            foreach (var s in result.Steps)
            {
                Assert.That(new[] { s.SamplingSeconds, s.ForwardBackwardSeconds, s.OptimizerSeconds }, Is.All.GreaterThan(0));
                Assert.That(s.SamplingSeconds + s.ForwardBackwardSeconds + s.OptimizerSeconds, Is.LessThanOrEqualTo(s.StepSeconds * 1.0001));
                Assert.That(s.TokensSampled, Is.InRange(2, 8));
            }
            Assert.That(result.Mean.SamplingSeconds, Is.EqualTo((result.Steps[1].SamplingSeconds + result.Steps[2].SamplingSeconds) / 2).Within(1e-12));
            Assert.That(result.Parameters, Is.GreaterThan(10_000));
            // The figures printed beside the timings: the run's CPU time and peak memory, the matmul ceiling, the work done.
            Assert.That(result.Run.UserSeconds, Is.GreaterThan(0));
            Assert.That(result.Run.PeakResidentBytes, Is.GreaterThan(50L << 20), "libtorch alone is resident");
            Assert.That(result.MatmulGflops, Is.GreaterThan(0.1));
            Assert.That(result.Mean.ForwardTokens, Is.GreaterThanOrEqualTo(result.Mean.TokensSampled));
            Assert.That(result.ForwardBackwardGflop, Is.GreaterThan(0));
            Assert.That(Directory.GetDirectories(dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "model", "model-tokenizer" }), "the scratch run is removed");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void TrainingFlopsCountsTheBodyOverAllTokensAndTheHeadOverScoredRows()
    {
        var config = Rlsc.Runtime.Model.ModelPresets.Get("small").For(1024);   // vocabulary 1024, hidden 256, 8 layers, 4 / 2 heads of 64, MLP 1024
        // Per layer: q 256x256, k and v 256x128 each, o 256x256, gate/up/down 3 x 256x1024.
        double perLayer = 256 * 256 + 2 * 256 * 128 + 256 * 256 + 3 * 256 * 1024;
        double expected = 3 * (2 * perLayer * 8 * 100 + 2 * 256 * 1024 * 40);
        Assert.That(TrainingFlops.ForwardBackward(config, forwardTokens: 100, scoredRows: 40), Is.EqualTo(expected).Within(1e-9).Percent);
    }
}
