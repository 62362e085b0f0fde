using Rlsc.Core;
using System.Text.Json;
using Rlsc.Core.Evaluation.Comparison;
using Rlsc.Runtime.Demo.ArithmeticTask;
using Rlsc.Runtime.Demo.Tokenizer;
using Rlsc.Runtime.Evaluation;
using Rlsc.Runtime.Platform;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;

namespace Rlsc.Runtime.Tests.Training.TensorBoard;

/// <summary>training.report_to: ["tensorboard"]: the event files hold what metrics.jsonl holds, read back with an independent reader.</summary>
public class TensorBoardLogTests
{
    string dir = "";

    [OneTimeSetUp]
    public void LoadTorch() => TorchLoader.EnsureLoaded();

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("rlsc-tensorboard-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    [Test]
    public void ScalarsAndTextAreReadBackWithTheirSteps()
    {
        var log = TensorBoardLog.Open(dir, ["tensorboard"], newRun: true)!;
        log.Configuration("{\n  \"seed\": 1\n}");
        for (int step = 1; step <= 3; step++)
            log.Write(step, epoch: 0, new Dictionary<string, double> { ["train/loss"] = 0.5 / step, ["answers/agreement"] = 0.1 * step });

        var events = TfEventReader.ReadFolder(TensorBoardLog.FolderOf(dir));
        var loss = events.Where(e => e.Tag == "train/loss").ToList();
        Assert.That(loss.Select(e => e.Step), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(loss.Select(e => e.Scalar), Is.EqualTo(new float?[] { 0.5f, 0.25f, (float)(0.5 / 3) }));
        Assert.That(events.Single(e => e.Tag == "answers/agreement" && e.Step == 2).Scalar, Is.EqualTo(0.2f));
        Assert.That(events.Count(e => e.Tag == "train/epoch"), Is.EqualTo(3));
        Assert.That(events.Single(e => e.Tag == "run/config/text_summary").Text, Is.EqualTo("    {\n      \"seed\": 1\n    }"));
        Assert.That(loss.All(e => Math.Abs(e.WallTime - DateTimeOffset.UtcNow.ToUnixTimeSeconds()) < 600), Is.True, "wall time in seconds since 1970");
    }

    [Test]
    public void NothingIsWrittenUnlessAskedAndANewRunStartsAFreshLog()
    {
        Assert.That(TensorBoardLog.Open(dir, [], newRun: true), Is.Null);
        Assert.That(Directory.Exists(TensorBoardLog.FolderOf(dir)), Is.False);
        TensorBoardLog.Open(dir, ["tensorboard"], newRun: true)!.Scalar("x", 1, 1);
        TensorBoardLog.Open(dir, ["tensorboard"], newRun: true)!.Scalar("x", 2, 1);
        Assert.That(TfEventReader.ReadFolder(TensorBoardLog.FolderOf(dir)).Single(e => e.Tag == "x").Scalar, Is.EqualTo(2f));
    }

    [Test]
    public void AnUnknownReportTargetIsAConfigurationError()
    {
        var config = new FineTuneConfig { Training = { ReportTo = ["tensorboard", "wandb"] } };
        var e = Assert.Throws<RlscException>(() => RunConfigValidator.Validate(config))!;
        Assert.That(e.Message, Does.Contain("training.report_to = \"wandb\"").And.Contain("\"tensorboard\""));
    }

    [Test]
    public void AFineTuneRunLogsEveryMetricOfMetricsJsonlAtEveryStepAndItsConfiguration()
    {
        string questions = Path.Combine(dir, "questions.jsonl");
        File.WriteAllLines(questions, ["{\"question\": \"12\"}", "{\"question\": \"305\"}"]);
        string model = Path.Combine(dir, "base");
        ToyCausalLm.WriteBase(model, seed: 11);
        var config = new FineTuneConfig
        {
            Model = model,
            Output = Path.Combine(dir, "run"),
            Device = TrainingDevice.Cpu,
            Data = { Suite = null, File = questions, PromptTemplate = "none" },
            Sampling = { SamplesPerQuestion = 3, Temperature = 1.0, MaxNewTokens = 3 },
            Loss = { Objective = LabelFreeObjectiveKind.Ttrl },
            Training = { Steps = 3, CheckpointEvery = 0, ReportTo = ["tensorboard"] },
        };
        RlscTrainer.Run(config, new TrainingRunOptions { LoadModel = ToyCausalLm.Load });

        var events = TfEventReader.ReadFolder(TensorBoardLog.FolderOf(config.Output));
        var lines = File.ReadAllLines(Path.Combine(config.Output, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(lines, Has.Count.EqualTo(3));
        int compared = 0;
        foreach (var line in lines)
        {
            int step = line.GetProperty("step").GetInt32();
            foreach (var property in line.EnumerateObject().Where(p => p.Name != "step"))
            {
                string tag = property.Name == "epoch" ? "train/epoch" : property.Name;
                var found = events.Where(e => e.Tag == tag && e.Step == step).ToList();
                Assert.That(found, Has.Count.EqualTo(1), $"{tag} at step {step}");
                Assert.That(found[0].Scalar, Is.EqualTo((float)property.Value.GetDouble()), $"{tag} at step {step}");
                compared++;
            }
        }
        Assert.That(compared, Is.GreaterThan(3 * 20), "every metric, not a handful");
        string configText = events.Single(e => e.Tag == "run/config/text_summary").Text!;
        Assert.That(configText.Replace("\n    ", "\n").TrimStart(), Is.EqualTo(File.ReadAllText(Path.Combine(config.Output, "config.json")).TrimEnd()));
    }

    [Test]
    public void TheEvaluationFiguresGoInAtTheLastStep()
    {
        VariantScores V(string name, double accuracy, bool sampled) =>
            new(name, sampled ? 0.5 : 0, sampled ? 8 : 1, 256, accuracy, sampled ? accuracy + 0.1 : null, sampled ? 0.9 : null, sampled ? 0.7 : null, 1);
        var report = new BeforeAfterReport
        {
            Suites = ["arith"],
            TrainingTemperature = 0.5,
            Samples = 8,
            Variants = new Dictionary<string, VariantScores>
            {
                ["base-greedy"] = V("base-greedy", 0.75, false), ["base-sampled"] = V("base-sampled", 0.625, true),
                ["rlsc-greedy"] = V("rlsc-greedy", 0.8125, false), ["rlsc-sampled"] = V("rlsc-sampled", 0.75, true),
            },
        };
        var config = new FineTuneConfig { Training = { Steps = 60, ReportTo = ["tensorboard"] } };
        BeforeAfterTensorBoard.Write(dir, report, config);

        var events = TfEventReader.ReadFolder(TensorBoardLog.FolderOf(dir));
        Assert.That(events.Where(e => e.Tag.StartsWith("eval/")).Select(e => e.Step).Distinct(), Is.EqualTo(new long[] { 60 }));
        Assert.That(events.Single(e => e.Tag == "eval/rlsc-sampled/accuracy").Scalar, Is.EqualTo(0.75f));
        Assert.That(events.Single(e => e.Tag == "eval/base-sampled/maj_at_k").Scalar, Is.EqualTo(0.725f));
        Assert.That(events.Single(e => e.Tag == "eval/rlsc-sampled/pass_at_k").Scalar, Is.EqualTo(0.9f));
        Assert.That(events.Single(e => e.Tag == "eval/change/sampled_accuracy_points").Scalar, Is.EqualTo(12.5f));
        Assert.That(events.Any(e => e.Tag == "eval/base-greedy/maj_at_k"), Is.False, "greedy has no maj@k");
        Assert.That(events.Single(e => e.Tag == "eval/before_after/text_summary").Text, Does.Contain("| greedy accuracy | 75.0% |"));
    }
}
