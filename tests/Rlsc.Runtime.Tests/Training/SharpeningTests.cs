using System.Text.Json;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Rlsc;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// The sharpening the paper describes: an RLSC step raises F = sum_y p(y|x)^2, the chance that two samples agree,
/// and moves probability toward the sample the model already preferred. Measured exactly by enumerating every
/// completion of a tiny model (8 tokens, up to 3 new tokens: 585 sequences whose probabilities sum to 1).
/// </summary>
public class SharpeningTests
{
    const double Temperature = 0.7;
    string dir = "";

    [OneTimeSetUp]
    public void LoadTorch() => TorchLoader.EnsureLoaded();

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-sharpen-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    static List<(int[] Completion, double Probability)> Distribution(string modelDir)
    {
        using var model = (ToyCausalLm)ToyCausalLm.Load(modelDir, new ModelPlacement("cpu", "float32"));
        var all = model.Enumerate([1, 2], maxNewTokens: 3, Temperature);
        Assert.That(all.Sum(c => c.Probability), Is.EqualTo(1.0).Within(1e-9), "the enumeration covers every completion");
        return all;
    }

    /// <summary>
    /// With alpha = 0 (the paper's L1) the loss's gradient is an unbiased estimate of -grad F / 2, and one step
    /// raises F on every seed tried. (With alpha = 0.1 the added -alpha log p term, zero in expectation, is noise
    /// of the same size as p(y) on a model this uncertain: F rose on 13 of 16 seed/weighting pairs; see docs/training.md.)
    /// </summary>
    [Test, Combinatorial]
    public void AStepRaisesTheChanceThatTwoSamplesAgree([Values] Weighting weighting, [Values(1, 2, 3, 4)] long seed)
    {
        string questions = Path.Combine(dir, "q.jsonl");
        File.WriteAllText(questions, "{\"question\": \"12\"}\n");
        string baseModel = ToyCausalLm.WriteBase(Path.Combine(dir, "base"), seed: 20 + seed);
        var config = new FineTuneConfig
        {
            Model = baseModel,
            Output = Path.Combine(dir, "run"),
            Seed = seed,
            Device = TrainingDevice.Cpu,
            Data = { Suite = null, File = questions, PromptTemplate = "none" },
            Sampling = { SamplesPerQuestion = 64, Temperature = Temperature, MaxNewTokens = 3 },
            Loss = { Weighting = weighting, Alpha = 0 },
            Optimizer = { LearningRate = 3e-3, MaxGradNorm = 0 },
            Training = { Steps = 1, CheckpointEvery = 0 },
        };
        RlscTrainer.Run(config, new TrainingRunOptions { LoadModel = ToyCausalLm.Load });

        var before = Distribution(baseModel);
        var after = Distribution(Path.Combine(config.Output, "checkpoints/final"));
        double fBefore = before.Sum(c => c.Probability * c.Probability), fAfter = after.Sum(c => c.Probability * c.Probability);
        TestContext.Out.WriteLine($"F = sum p^2: {fBefore:F6} -> {fAfter:F6}");
        Assert.That(fAfter, Is.GreaterThan(fBefore), "the chance that two samples agree");

        // The sample with the largest weight (the one the model preferred) became more likely.
        using var line = JsonDocument.Parse(File.ReadLines(Path.Combine(config.Output, "samples.jsonl")).Single());
        var preferred = line.RootElement.GetProperty("completions").EnumerateArray()
            .MaxBy(c => c.GetProperty("weight").GetDouble()).GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        double P(List<(int[] Completion, double Probability)> d) => d.Single(c => c.Completion.SequenceEqual(preferred)).Probability;
        Assert.That(P(after), Is.GreaterThan(P(before)), $"p([{string.Join(",", preferred)}])");
    }
}
