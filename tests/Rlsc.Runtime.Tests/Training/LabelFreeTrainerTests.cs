using System.Text.Json;
using Rlsc.Runtime.Platform;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>Every loss.objective through the real trainer on the toy model: it trains, it splits into micro-batches exactly, it logs its own metrics.</summary>
public class LabelFreeTrainerTests
{
    string dir = "";

    [OneTimeSetUp]
    public void LoadTorch() => TorchLoader.EnsureLoaded();

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-labelfree-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    FineTuneConfig Config(string output, LabelFreeObjectiveKind objective, int microBatchTokens)
    {
        string questions = Path.Combine(dir, "questions.jsonl");
        if (!File.Exists(questions))
            File.WriteAllLines(questions, new[] { "12", "305", "44" }.Select((q, i) => $"{{\"id\": \"q{i}\", \"question\": \"{q}\"}}"));
        string model = Path.Combine(dir, "base");
        if (!Directory.Exists(model)) ToyCausalLm.WriteBase(model, seed: 11);
        return new FineTuneConfig
        {
            Model = model,
            Output = Path.Combine(dir, output),
            Seed = 3,
            Device = TrainingDevice.Cpu,
            Data = { Suite = null, File = questions, PromptTemplate = "none" },
            // Two new tokens: short digit answers, so the 6 samples share answers and ttrl has a majority to reward.
            Sampling = { SamplesPerQuestion = 6, Temperature = 1.0, MaxNewTokens = 2 },
            Loss = { Objective = objective },
            Optimizer = { LearningRate = 1e-2 },
            Training = { Steps = 2, CheckpointEvery = 0, MicroBatchTokens = microBatchTokens, QuestionsPerStep = 2 },
        };
    }

    static TrainingRunOptions Options() => new() { LoadModel = ToyCausalLm.Load };

    static Dictionary<string, Tensor> Weights(string checkpoint)
    {
        using var model = ToyCausalLm.Load(checkpoint, new ModelPlacement("cpu", "float32"));
        return model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
    }

    [TestCase(LabelFreeObjectiveKind.Ttrl, "ttrl/mean_reward")]
    [TestCase(LabelFreeObjectiveKind.Entropy, "entropy/mean_sequence_log_prob")]
    [TestCase(LabelFreeObjectiveKind.SelfCertainty, "self_certainty/mean_reward")]
    [TestCase(LabelFreeObjectiveKind.Rlsc, "rlsc/mean_weight")]
    public void EachObjectiveTrainsAndMicroBatchesGiveTheSameUpdate(LabelFreeObjectiveKind objective, string metric)
    {
        var whole = Config("whole", objective, microBatchTokens: 1000);
        var split = Config("split", objective, microBatchTokens: 8);   // prompt 2-3 tokens + 2: two rows per micro-batch
        RlscTrainer.Run(whole, Options());
        RlscTrainer.Run(split, Options());
        var before = Weights(whole.Model);
        var a = Weights(Path.Combine(whole.Output, "checkpoints/final"));
        var b = Weights(Path.Combine(split.Output, "checkpoints/final"));
        Assert.That(a.Any(p => (p.Value - before[p.Key]).abs().max().item<float>() > 1e-4f), Is.True, "the weights moved");
        // float32 rounding of a different order: "whole" packs both questions into one forward and one backward, "split"
        // runs two rows at a time. Adam's steps are ~1e-2 here (lr), so 5e-6 is a few parts in 10^4 of the update.
        foreach (var (name, value) in a)
            Assert.That((value - b[name]).abs().max().item<float>(), Is.LessThan(5e-6f), name);

        var lines = File.ReadAllLines(Path.Combine(whole.Output, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0].TryGetProperty(metric, out _), Is.True, metric);
        if (objective != LabelFreeObjectiveKind.Rlsc)
            Assert.That(lines[0].EnumerateObject().Any(p => p.Name.StartsWith("rlsc/")), Is.False, "no rlsc/ names under another objective");
    }
}
