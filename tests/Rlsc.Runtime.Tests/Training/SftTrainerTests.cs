using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>`rlsc sft`: cross-entropy on completion tokens only, with the shared checkpoint and resume machinery.</summary>
public class SftTrainerTests
{
    string dir = "";

    [OneTimeSetUp]
    public void LoadTorch() => TorchLoader.EnsureLoaded();

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-sft-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    static readonly (string Prompt, string Completion)[] Pairs = [("12", "3"), ("23", "41"), ("30", "3"), ("41", "5"), ("5", "50"), ("0", "1")];

    SftConfig Config(string output, Action<SftConfig>? change = null)
    {
        string data = Path.Combine(dir, "pairs.jsonl");
        if (!File.Exists(data))
            File.WriteAllLines(data, Pairs.Select(p => $"{{\"prompt\": \"{p.Prompt}\", \"completion\": \"{p.Completion}\"}}"));
        string model = Path.Combine(dir, "base");
        if (!Directory.Exists(model)) ToyCausalLm.WriteBase(model, seed: 3);
        var config = new SftConfig
        {
            Model = model,
            Output = Path.Combine(dir, output),
            Seed = 5,
            Device = TrainingDevice.Cpu,
            Data = { File = data },
            Optimizer = { LearningRate = 1e-2 },
            Training = { Epochs = 10, BatchSize = 4, MicroBatchTokens = 10, CheckpointEvery = 5 },
        };
        change?.Invoke(config);
        return config;
    }

    static TrainingRunOptions Options(bool resume = false, TrainingHooks? hooks = null) => new() { Resume = resume, LoadModel = ToyCausalLm.Load, Hooks = hooks };

    /// <summary>Mean cross-entropy of the completions (+ end token) given the prompts, computed directly in float64.</summary>
    static double CompletionLoss(string modelDir)
    {
        using var model = ToyCausalLm.Load(modelDir, new ModelPlacement("cpu", "float32"));
        using var _ = no_grad();
        double total = 0;
        int tokens = 0;
        foreach (var (prompt, completion) in Pairs)
        {
            int[] p = model.Encode(prompt), c = [.. model.Encode(completion), ToyCausalLm.Eos];
            var ids = tensor(p.Concat(c).Select(i => (long)i).ToArray()).unsqueeze(0);
            var logProbs = nn.functional.log_softmax(model.Logits(ids, ones_like(ids)).to_type(ScalarType.Float64), -1);
            for (int k = 0; k < c.Length; k++)
                total -= logProbs[0, p.Length + k - 1, c[k]].item<double>();
            tokens += c.Length;
        }
        return total / tokens;
    }

    [Test]
    public void SftLowersTheLossOnItsData()
    {
        var config = Config("run");
        var summary = SftTrainer.Run(config, Options());
        Assert.That(summary.Status, Is.EqualTo("completed"));
        Assert.That(summary.Steps, Is.EqualTo(10 * 2), "10 epochs of 2 batches of 4 (6 examples)");
        double before = CompletionLoss(config.Model);
        double after = CompletionLoss(Path.Combine(config.Output, "checkpoints/final"));
        TestContext.Out.WriteLine($"completion cross-entropy {before:F4} -> {after:F4}");
        Assert.That(after, Is.LessThan(before * 0.7));
    }

    [Test]
    public void TheReportedLossIsTheCompletionCrossEntropy()
    {
        var config = Config("one", c => { c.Training.MaxSteps = 1; c.Training.BatchSize = 6; c.Optimizer.LearningRate = 1e-9; });
        SftTrainer.Run(config, Options());
        var line = System.Text.Json.JsonDocument.Parse(File.ReadLines(Path.Combine(config.Output, "metrics.jsonl")).Single()).RootElement;
        Assert.That(line.GetProperty("train/loss").GetDouble(), Is.EqualTo(CompletionLoss(config.Model)).Within(1e-5));
        Assert.That(line.GetProperty("tokens/trained").GetDouble(), Is.EqualTo(Pairs.Sum(p => p.Completion.Length + 1)));
    }

    [Test]
    public void AnInterruptedSftRunResumesBitForBit()
    {
        var straight = Config("straight", c => c.Training.Epochs = 3);
        SftTrainer.Run(straight, Options());
        var interrupted = Config("interrupted", c => c.Training.Epochs = 3);
        using var signal = new CancellationTokenSource();
        var e = Assert.Throws<RlscException>(() => SftTrainer.Run(interrupted, Options(hooks: new TrainingHooks { AfterStep = s => { if (s == 4) signal.Cancel(); } }), signal.Token))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.Interrupted));
        SftTrainer.Run(interrupted, Options(resume: true));
        using var a = ToyCausalLm.Load(Path.Combine(straight.Output, "checkpoints/final"), new ModelPlacement("cpu", "float32"));
        using var b = ToyCausalLm.Load(Path.Combine(interrupted.Output, "checkpoints/final"), new ModelPlacement("cpu", "float32"));
        foreach (var ((name, x), (_, y)) in a.Module.named_parameters().Zip(b.Module.named_parameters()))
            Assert.That(TensorAssert.Same(x, y), Is.True, name);
    }

    [Test]
    public void AnExampleLongerThanTheContextNamesItsLine()
    {
        var config = Config("long");
        File.AppendAllText(config.Data.File!, $"{{\"prompt\": \"1\", \"completion\": \"{new string('2', ToyCausalLm.MaxLength)}\"}}\n");
        var e = Assert.Throws<RlscException>(() => SftTrainer.Run(config, Options()))!;
        Assert.That((e.Code, e.File, e.Line), Is.EqualTo((ErrorCodes.SequenceTooLong, config.Data.File, Pairs.Length + 1)));
    }
}
