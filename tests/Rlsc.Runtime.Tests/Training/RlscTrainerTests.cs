using System.Text.Json;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Rlsc;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>The RLSC trainer end to end on a tiny model: update, resume, interrupt, NaN, determinism, labels.</summary>
public class RlscTrainerTests
{
    string dir = "";

    [OneTimeSetUp]
    public void LoadTorch() => TorchLoader.EnsureLoaded();

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-trainer-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    FineTuneConfig Config(string output, Action<FineTuneConfig>? change = null)
    {
        string questions = Path.Combine(dir, "questions.jsonl");
        if (!File.Exists(questions))
            File.WriteAllLines(questions, new[] { "12", "305", "44", "0", "5211" }.Select((q, i) => $"{{\"id\": \"q{i}\", \"question\": \"{q}\", \"answer\": \"\\ud800\"}}"));
        string model = Path.Combine(dir, "base");
        if (!Directory.Exists(model)) ToyCausalLm.WriteBase(model, seed: 11);
        var config = new FineTuneConfig
        {
            Model = model,
            Output = Path.Combine(dir, output),
            Seed = 7,
            Device = TrainingDevice.Cpu,
            Data = { Suite = null, File = questions, PromptTemplate = "none" },
            Sampling = { SamplesPerQuestion = 4, Temperature = 0.8, MaxNewTokens = 5 },
            Loss = { Weighting = Weighting.Normalized, Alpha = 0.1 },
            Optimizer = { LearningRate = 1e-2 },
            Training = { Steps = 4, CheckpointEvery = 2, MicroBatchTokens = 16 },
        };
        change?.Invoke(config);
        return config;
    }

    static TrainingRunOptions Options(bool resume = false, TrainingHooks? hooks = null) =>
        new() { Resume = resume, LoadModel = ToyCausalLm.Load, Hooks = hooks, ResumeCommand = "rlsc finetune --resume (test)" };

    static Dictionary<string, Tensor> Weights(string checkpoint)
    {
        using var model = ToyCausalLm.Load(checkpoint, new ModelPlacement("cpu", "float32"));
        return model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
    }

    static void AssertSameWeights(Dictionary<string, Tensor> a, Dictionary<string, Tensor> b, string what)
    {
        Assert.That(b.Keys, Is.EquivalentTo(a.Keys));
        foreach (var (name, value) in a)
            Assert.That(TensorAssert.Same(value, b[name]), Is.True, $"{what}: {name}");
    }

    static List<JsonElement> Lines(string file) =>
        File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [TestCase(Weighting.Paper, 0.1)]
    [TestCase(Weighting.Normalized, 0.0)]
    public void OneStepChangesEveryParameterAndLogsWhatItTrainedOn(Weighting weighting, double alpha)
    {
        var config = Config("run", c => { c.Training.Steps = 1; c.Loss.Weighting = weighting; c.Loss.Alpha = alpha; });
        var before = Weights(config.Model);
        var summary = RlscTrainer.Run(config, Options());

        Assert.That(summary.Status, Is.EqualTo("completed"));
        var after = Weights(Path.Combine(config.Output, summary.FinalCheckpoint!));
        foreach (var (name, value) in before)
            Assert.That(TensorAssert.Same(value, after[name]), Is.False, $"{name} did not change");

        var metrics = Lines(Path.Combine(config.Output, "metrics.jsonl")).Single();
        foreach (string key in new[] { "train/loss", "train/grad_norm", "train/learning_rate", "rlsc/mean_sequence_log_prob", "rlsc/mean_weight",
                     "completions/mean_length", "completions/mean_token_entropy", "answers/extracted_fraction", "time/sampling_seconds",
                     "time/forward_backward_seconds", "time/optimizer_seconds", "throughput/sampled_tokens_per_second" })
            Assert.That(metrics.TryGetProperty(key, out _), Is.True, $"metrics.jsonl lacks {key}");
        Assert.That(metrics.GetProperty("step").GetInt32(), Is.EqualTo(1));

        var sample = Lines(Path.Combine(config.Output, "samples.jsonl")).Single();
        var completions = sample.GetProperty("completions").EnumerateArray().ToList();
        Assert.That(completions, Has.Count.EqualTo(4));
        double[] weights = completions.Select(c => c.GetProperty("weight").GetDouble()).ToArray();
        double[] logProbs = completions.Select(c => c.GetProperty("sequence_log_prob").GetDouble()).ToArray();
        if (weighting == Weighting.Paper)
            Assert.That(weights, Is.EqualTo(logProbs.Select(Math.Exp)).Within(1e-5));
        else
            Assert.That(weights.Sum(), Is.EqualTo(1.0).Within(1e-5));
        Assert.That(completions.Select(c => c.GetProperty("coefficient").GetDouble()), Is.EqualTo(weights.Select(w => w + alpha)).Within(1e-5));
        Assert.That(completions.Select(c => c.GetProperty("length").GetInt32()),
            Is.EqualTo(completions.Select(c => c.GetProperty("token_ids").GetArrayLength())));
        Assert.That(logProbs, Is.All.LessThan(0));

        var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(config.Output, "summary.json"))).RootElement;
        Assert.That(written.GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(written.GetProperty("steps_completed").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void MicroBatchesGiveTheSameUpdateAsOneBatch()
    {
        var whole = Config("whole", c => { c.Training.Steps = 1; c.Training.MicroBatchTokens = 1000; });
        var split = Config("split", c => { c.Training.Steps = 1; c.Training.MicroBatchTokens = 8; });
        RlscTrainer.Run(whole, Options());
        RlscTrainer.Run(split, Options());
        var a = Weights(Path.Combine(whole.Output, "checkpoints/final"));
        var b = Weights(Path.Combine(split.Output, "checkpoints/final"));
        foreach (var (name, value) in a)
            Assert.That((value - b[name]).abs().max().item<float>(), Is.LessThan(1e-6f), name);
    }

    [Test]
    public void TheSameConfigAndSeedGiveTheSameWeights()
    {
        RlscTrainer.Run(Config("one"), Options());
        RlscTrainer.Run(Config("two"), Options());
        AssertSameWeights(Weights(Path.Combine(dir, "one/checkpoints/final")), Weights(Path.Combine(dir, "two/checkpoints/final")), "same seed");
        RlscTrainer.Run(Config("three", c => c.Seed = 8), Options());
        var other = Weights(Path.Combine(dir, "three/checkpoints/final"));
        Assert.That(Weights(Path.Combine(dir, "one/checkpoints/final")).Any(p => !TensorAssert.Same(p.Value, other[p.Key])), Is.True, "another seed differs");
    }

    [Test]
    public void AnInterruptedRunResumesBitForBit()
    {
        var straight = Config("straight");
        RlscTrainer.Run(straight, Options());

        var interrupted = Config("interrupted");
        using var signal = new CancellationTokenSource();
        var e = Assert.Throws<RlscException>(() => RlscTrainer.Run(interrupted, Options(hooks: new TrainingHooks { AfterStep = s => { if (s == 3) signal.Cancel(); } }), signal.Token))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.Interrupted));
        Assert.That(e.Message, Does.Contain("step 4 of 4").And.Contain("checkpoints/step-3").And.Contain("rlsc finetune --resume (test)"));
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(interrupted.Output, "summary.json"))).RootElement;
        Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("interrupted"));

        // The interrupted run left a loadable checkpoint equal to the uninterrupted run's weights after 3 steps.
        Assert.That(Directory.Exists(Path.Combine(interrupted.Output, "checkpoints/step-3")));
        Assert.That(Directory.Exists(Path.Combine(interrupted.Output, "checkpoints/final")), Is.False);

        var resumed = RlscTrainer.Run(interrupted, Options(resume: true));
        Assert.That(resumed.Status, Is.EqualTo("completed"));
        AssertSameWeights(Weights(Path.Combine(straight.Output, "checkpoints/final")), Weights(Path.Combine(interrupted.Output, "checkpoints/final")), "resumed vs uninterrupted");

        // The logs read as one run: same samples, same losses, one line per step.
        static IEnumerable<string> Comparable(List<JsonElement> lines) => lines.Select(l =>
            string.Join(",", l.EnumerateObject().Where(p => !p.Name.StartsWith("time/") && !p.Name.StartsWith("throughput/")).Select(p => p.Name + "=" + p.Value.GetRawText())));
        Assert.That(Comparable(Lines(Path.Combine(interrupted.Output, "metrics.jsonl"))), Is.EqualTo(Comparable(Lines(Path.Combine(straight.Output, "metrics.jsonl")))));
        Assert.That(File.ReadAllText(Path.Combine(interrupted.Output, "samples.jsonl")), Is.EqualTo(File.ReadAllText(Path.Combine(straight.Output, "samples.jsonl"))));

        // Resuming a completed run does nothing.
        Assert.That(RlscTrainer.Run(interrupted, Options(resume: true)).Status, Is.EqualTo("completed"));
    }

    [Test]
    public void ALoraRunResumesBitForBitToo()
    {
        void Lora(FineTuneConfig c) { c.Lora.Enabled = true; c.Lora.Rank = 2; c.Lora.Targets = ["q_proj", "up_proj"]; }
        var straight = Config("straight", Lora);
        RlscTrainer.Run(straight, Options());
        var interrupted = Config("interrupted", Lora);
        using var signal = new CancellationTokenSource();
        Assert.Throws<RlscException>(() => RlscTrainer.Run(interrupted, Options(hooks: new TrainingHooks { AfterStep = s => { if (s == 1) signal.Cancel(); } }), signal.Token));
        RlscTrainer.Run(interrupted, Options(resume: true));
        AssertSameWeights(Weights(Path.Combine(straight.Output, "checkpoints/final")), Weights(Path.Combine(interrupted.Output, "checkpoints/final")), "LoRA resumed");
    }

    [Test]
    public void LoraTrainsOnlyTheTargetsAndSavesMergedWeights()
    {
        var config = Config("lora", c => { c.Training.Steps = 2; c.Lora.Enabled = true; c.Lora.Rank = 2; c.Lora.Targets = ["q_proj", "up_proj"]; });
        var before = Weights(config.Model);
        RlscTrainer.Run(config, Options());
        var after = Weights(Path.Combine(config.Output, "checkpoints/final"));
        foreach (var (name, value) in before)
        {
            bool target = name.StartsWith("q_proj.weight") || name.StartsWith("up_proj.weight");
            Assert.That(TensorAssert.Same(value, after[name]), Is.EqualTo(!target), $"{name} {(target ? "should carry the merged update" : "must stay frozen")}");
        }
        var state = CheckpointStore.Read(Path.Combine(config.Output, "checkpoints/final")).State;
        Assert.That(state.Lora && state.LoraModules.SequenceEqual(["q_proj", "up_proj"]), Is.True);
    }

    [Test]
    public void ANaNLossStopsTheRunAndKeepsTheLastGoodCheckpoint()
    {
        var straight = Config("straight", c => c.Training.Steps = 2);
        RlscTrainer.Run(straight, Options());
        var config = Config("nan");
        var hooks = new TrainingHooks { TransformLoss = (step, loss) => step == 3 ? loss * double.NaN : loss };
        var e = Assert.Throws<RlscException>(() => RlscTrainer.Run(config, Options(hooks: hooks)))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.TrainingDiverged));
        Assert.That(e.Message, Does.Contain("step 3").And.Contain("NaN").And.Contain("checkpoints/step-2"));
        Assert.That(Directory.GetDirectories(Path.Combine(config.Output, "checkpoints")).Select(Path.GetFileName), Is.EqualTo(new[] { "step-2" }));
        AssertSameWeights(Weights(Path.Combine(straight.Output, "checkpoints/final")), Weights(Path.Combine(config.Output, "checkpoints/step-2")), "last good checkpoint");
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(config.Output, "summary.json"))).RootElement;
        Assert.That(summary.GetProperty("status").GetString(), Is.EqualTo("failed"));
    }

    [Test]
    public void AnInfiniteGradientStopsTheRunBeforeTheUpdate()
    {
        var config = Config("inf", c => c.Training.CheckpointEvery = 0);
        var hooks = new TrainingHooks
        {
            AfterBackward = (step, model) => { if (step == 2) using (no_grad()) model.Module.parameters().First().grad!.fill_(double.PositiveInfinity); },
        };
        var e = Assert.Throws<RlscException>(() => RlscTrainer.Run(config, Options(hooks: hooks)))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.TrainingDiverged));
        Assert.That(e.Message, Does.Contain("gradient norm").And.Contain("step 2"));
        // Step 1 had completed: it is saved, so nothing that was good is lost.
        Assert.That(CheckpointStore.Read(Path.Combine(config.Output, "checkpoints/step-1")).State.Step, Is.EqualTo(1));
    }

    [Test]
    public void TrainingNeverReadsTheAnswers()
    {
        // The questions file's answers are poisoned ("\ud800" cannot be decoded): a run that read them would fail.
        var config = Config("labels", c => c.Training.Steps = 2);
        Assert.That(File.ReadAllText(config.Data.File!), Does.Contain("\\ud800"));
        Assert.That(RlscTrainer.Run(config, Options()).Status, Is.EqualTo("completed"));
        Assert.That(File.ReadAllText(Path.Combine(config.Output, "samples.jsonl")), Does.Not.Contain("ud800"));
    }
}
