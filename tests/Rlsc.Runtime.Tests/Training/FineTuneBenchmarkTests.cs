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
            Assert.That(Directory.GetDirectories(dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "model", "model-tokenizer" }), "the scratch run is removed");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
