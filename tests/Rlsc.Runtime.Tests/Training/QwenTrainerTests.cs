using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// The trainers on the project's real Qwen2 runtime (tiny random models): generation, the forward pass, checkpoints
/// in Hugging Face format, LoRA hooks on the real projections.
/// </summary>
public class QwenTrainerTests
{
    string dir = "";

    [OneTimeSetUp]
    public void LoadTorch() => TorchLoader.EnsureLoaded();

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-qwen-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    FineTuneConfig Config(string output, Action<FineTuneConfig>? change = null)
    {
        string questions = Path.Combine(dir, "questions.jsonl");
        if (!File.Exists(questions))
            File.WriteAllLines(questions, ["{\"question\": \"1+1=?\", \"answer\": \"\\ud800\"}", "{\"question\": \"2*3=?\", \"answer\": \"\\ud800\"}"]);
        string model = Path.Combine(dir, "base");
        if (!Directory.Exists(model)) TinyQwen.Write(model, seed: 5, sharpness: 20);
        var config = new FineTuneConfig
        {
            Model = model,
            Output = Path.Combine(dir, output),
            Seed = 3,
            Device = TrainingDevice.Cpu,
            Data = { Suite = null, File = questions, PromptTemplate = "none" },
            Sampling = { SamplesPerQuestion = 4, Temperature = 0.7, MaxNewTokens = 6 },
            Loss = { Weighting = Weighting.Normalized, Alpha = 0.1 },
            Optimizer = { LearningRate = 1e-3 },
            Training = { Steps = 2, CheckpointEvery = 1, MicroBatchTokens = 64 },
        };
        change?.Invoke(config);
        return config;
    }

    static Dictionary<string, Tensor> Weights(string folder)
    {
        using var model = CausalLM.Load(folder);
        return model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
    }

    [Test]
    public void AStepOfFullFineTuningChangesEveryParameter()
    {
        // The Qwen2.5-Math chat prompt here (its special tokens must encode as single ids); plain prompts elsewhere, for speed.
        var config = Config("full", c => { c.Training.Steps = 1; c.Data.PromptTemplate = "qwen25-math-cot"; c.Training.MicroBatchTokens = 4096; });
        var before = Weights(config.Model);
        Assert.That(RlscTrainer.Run(config, new TrainingRunOptions()).Status, Is.EqualTo("completed"));
        var after = Weights(Path.Combine(config.Output, "checkpoints/final"));
        Assert.That(after.Keys, Is.EquivalentTo(before.Keys));
        // k_proj.bias is the one exception by construction: adding the same vector to every key shifts each query's
        // attention logits by a constant, which softmax ignores, so its gradient is zero (and it starts at zero, so
        // weight decay leaves it there too).
        var unchanged = before.Where(p => TensorAssert.Same(p.Value, after[p.Key])).Select(p => p.Key).ToList();
        Assert.That(unchanged, Is.All.EndsWith("k_proj.bias"), "parameters that did not move");
        Assert.That(File.Exists(Path.Combine(config.Output, "checkpoints/final/tokenizer.json")), "a complete Hugging Face checkpoint");
    }

    /// <summary>
    /// The loss phase packs the step's questions into shared forwards (each prompt run once for its samples, prompts of
    /// different lengths padded together). One forward for all three questions, one per question, and each question
    /// split over several micro-batches give the same weights to float32 rounding.
    /// </summary>
    [Test]
    public void PackingTheStepsQuestionsIntoOneForwardGivesTheSameUpdate()
    {
        string questions = Path.Combine(dir, "three.jsonl");
        File.WriteAllLines(questions, ["{\"question\": \"1+1=?\"}", "{\"question\": \"12*30+4=?\"}", "{\"question\": \"7-2=?\"}"]);
        var runs = new Dictionary<string, int> { ["one forward"] = 4096, ["one question per forward"] = 48, ["split questions"] = 16 };
        var weights = new Dictionary<string, Dictionary<string, Tensor>>();
        var passes = new Dictionary<string, HashSet<string>>();
        foreach (var (name, budget) in runs)
        {
            var config = Config(name.Replace(' ', '-'), c =>
            {
                c.Data.File = questions;
                c.Training.Steps = 1;
                c.Training.QuestionsPerStep = 3;
                c.Training.MicroBatchTokens = budget;
            });
            var details = new HashSet<string>();
            var progress = new Recorder(p => { if (p.Phase == "training" && p.Detail is { } d) details.Add(d); });
            RlscTrainer.Run(config, new TrainingRunOptions { Progress = progress });
            weights[name] = Weights(Path.Combine(config.Output, "checkpoints/final"));
            passes[name] = details;
        }
        Assert.That(passes["one forward"], Is.EquivalentTo(new[] { "micro-batch 1/1 (3 of 3 questions)" }), "packed into one forward");
        Assert.That(passes["one question per forward"], Has.Count.EqualTo(3), "one forward per question");
        Assert.That(passes["split questions"].Count, Is.GreaterThan(3), "questions split over several micro-batches");
        var before = Weights(Config("unused").Model);
        var expected = weights["one forward"];
        foreach (var name in new[] { "one question per forward", "split questions" })
            foreach (var (key, value) in expected)
            {
                // Compared on the scale of the update (lr 1e-3), not of the weights, which would hide a wrong update.
                double update = Math.Max((value - before[key]).abs().max().item<float>(), 1e-6);
                Assert.That((weights[name][key] - value).abs().max().item<float>() / update, Is.LessThan(1e-3), $"{name}: {key}");
            }
    }

    sealed class Recorder(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => handler(value);
    }

    [Test]
    public void LoraTrainsOnlyAdaptersAndTheMergedCheckpointReproducesTheAdaptedForward()
    {
        using var model = CausalLmTrainable.Load(Config("unused").Model, new ModelPlacement("cpu", "float32"));
        var ids = tensor(new long[] { 1, 40, 41, 42, 43, 44, 45 }).unsqueeze(0);
        var mask = ones_like(ids);
        var baseLogits = model.Logits(ids, mask).detach().clone();
        var baseWeights = model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        using var lora = LoraAttachment.Attach(model.Module, new LoraOptions { Enabled = true, Rank = 4 }, seed: 1);
        Assert.That(lora.ModuleNames, Has.Count.EqualTo(2 * 7), "7 projections in each of the 2 layers");
        Assert.That(TensorAssert.Same(model.Logits(ids, mask), baseLogits), Is.True, "B = 0: starts at the base model");

        using var optimizer = new TrainerOptimizer(lora.Parameters(), new OptimizationOptions { LearningRate = 1e-2 });
        for (int i = 0; i < 3; i++)
        {
            optimizer.ZeroGrad();
            nn.functional.cross_entropy(model.Logits(ids, mask)[0, ..^1], ids[0, 1..]).backward();
            optimizer.Step();
        }
        foreach (var (name, p) in model.Module.named_parameters())
            Assert.That(TensorAssert.Same(p, baseWeights[name]), Is.True, $"{name} is frozen");
        var adapted = model.Logits(ids, mask).detach().clone();
        Assert.That((adapted - baseLogits).abs().max().item<float>(), Is.GreaterThan(1e-3f), "the adapters changed the model");

        string saved = Path.Combine(dir, "merged");
        lora.WithMerged(() => model.Save(saved));
        using var merged = CausalLmTrainable.Load(saved, new ModelPlacement("cpu", "float32"));
        Assert.That((merged.Logits(ids, mask) - adapted).abs().max().item<float>(), Is.LessThan(1e-4f), "merged checkpoint = adapted model");
        foreach (var (name, p) in model.Module.named_parameters())
            Assert.That(TensorAssert.Same(p, baseWeights[name]), Is.True, $"{name} restored after the save");
    }

    [Test]
    public void AnInterruptedRunResumesBitForBit()
    {
        var straight = Config("straight", c => c.Training.Steps = 3);
        RlscTrainer.Run(straight, new TrainingRunOptions());
        var interrupted = Config("interrupted", c => c.Training.Steps = 3);
        using var signal = new CancellationTokenSource();
        var e = Assert.Throws<RlscException>(() => RlscTrainer.Run(interrupted,
            new TrainingRunOptions { Hooks = new TrainingHooks { AfterStep = s => { if (s == 2) signal.Cancel(); } } }, signal.Token))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.Interrupted));
        // The interrupted run's checkpoint loads as a model.
        using (var loaded = CausalLM.Load(Path.Combine(interrupted.Output, "checkpoints/step-2"))) Assert.That(loaded.Config.NumHiddenLayers, Is.EqualTo(2));
        RlscTrainer.Run(interrupted, new TrainingRunOptions { Resume = true });
        var a = Weights(Path.Combine(straight.Output, "checkpoints/final"));
        var b = Weights(Path.Combine(interrupted.Output, "checkpoints/final"));
        foreach (var (name, value) in a)
            Assert.That(TensorAssert.Same(value, b[name]), Is.True, name);
        Assert.That(File.ReadAllText(Path.Combine(interrupted.Output, "samples.jsonl")), Is.EqualTo(File.ReadAllText(Path.Combine(straight.Output, "samples.jsonl"))));
    }

    [Test]
    public void SftLowersTheCompletionLossOfARealModel()
    {
        string data = Path.Combine(dir, "pairs.jsonl");
        File.WriteAllLines(data, Enumerable.Range(0, 6).Select(i => $"{{\"prompt\": \"{i}+{i}=\", \"completion\": \"{2 * i}\"}}"));
        var config = new SftConfig
        {
            Model = Config("unused").Model,
            Output = Path.Combine(dir, "sft"),
            Device = TrainingDevice.Cpu,
            Data = { File = data },
            Optimizer = { LearningRate = 3e-3 },
            Training = { Epochs = 8, BatchSize = 3 },
        };
        var summary = SftTrainer.Run(config, new TrainingRunOptions());
        var losses = File.ReadLines(Path.Combine(config.Output, "metrics.jsonl"))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("train/loss").GetDouble()).ToList();
        Assert.That(summary.Steps, Is.EqualTo(16));
        Assert.That(losses.TakeLast(2).Average(), Is.LessThan(losses.Take(2).Average() * 0.5), string.Join(", ", losses.Select(l => l.ToString("F3"))));
    }
}
