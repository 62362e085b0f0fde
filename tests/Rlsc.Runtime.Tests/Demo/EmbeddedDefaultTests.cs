using System.Security.Cryptography;
using System.Text.Json;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Core.Evaluation.Comparison;
using Rlsc.Core.Gate;
using Rlsc.Runtime.Demo.ArithmeticTask;
using Rlsc.Runtime.Evaluation;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Rlsc;

namespace Rlsc.Runtime.Tests.Demo;

/// <summary>
/// The embedded default on the committed base model (models/arith-base) and data (eval-suites/data/arith): a short but
/// real RLSC run that must still raise sampled accuracy on held-out problems, and proof that the training split's gold
/// answers cannot influence training, and the quality gate's verdicts on that run and on a no-op run. Slow for a unit
/// test (the default training runs once for the class: about 4 minutes on 2 cores), so they carry the category "EmbeddedDefault".
/// </summary>
[Category("EmbeddedDefault")]
public class EmbeddedDefaultTests
{
    static string Root() => RepositoryRoot.Folder;

    string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("rlsc-embedded-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>configs/default.json with absolute paths, a temporary output and the given overrides.</summary>
    static FineTuneConfig Config(string output, params (string Path, object Value)[] overrides)
    {
        string root = Root();
        var all = new List<ConfigOverride>
        {
            ConfigOverride.From("test", "model", Path.Combine(root, "models", "arith-base")),
            ConfigOverride.From("test", "data.file", Path.Combine(root, "eval-suites", "data", "arith", "train.jsonl")),
            ConfigOverride.From("test", "output", output),
        };
        all.AddRange(overrides.Select(o => ConfigOverride.From("test", o.Path, o.Value)));
        var config = RunConfigJson.Load<FineTuneConfig>(Path.Combine(root, "configs", "default.json"), all);
        RunConfigValidator.Validate(config, "configs/default.json");
        return config;
    }

    // The default run, trained once for the tests below: all 256 held-out problems (the count the gate's thresholds
    // are for), without the lowered-temperature variant and the plots.
    static string? _runRoot;
    static readonly Lazy<(FineTuneConfig Config, BeforeAfterReport Report)> DefaultRun = new(() =>
    {
        _runRoot = Directory.CreateTempSubdirectory("rlsc-embedded-run-").FullName;
        var config = Config(Path.Combine(_runRoot, "run"), ("evaluation.lowered_temperature", null!), ("evaluation.plots", false));
        var summary = RlscTrainer.Run(config, new TrainingRunOptions());
        Assert.That(summary.Status, Is.EqualTo("completed"));
        var report = BeforeAfterEvaluation.Run(config, config.Output, Path.Combine(config.Output, "checkpoints", CheckpointStore.FinalName));
        TestContext.Out.WriteLine(report.ToMarkdown());
        return (config, report);
    });

    [OneTimeTearDown]
    public void DeleteDefaultRun()
    {
        if (_runRoot is not null && Directory.Exists(_runRoot)) Directory.Delete(_runRoot, recursive: true);
    }

    [Test]
    public void Rlsc_still_raises_sampled_accuracy_on_held_out_problems()
    {
        var report = DefaultRun.Value.Report;
        // Measured values and their margins: docs/embedded-default.md, "The CI test".
        // Measured +13.2 sampled, +3.5 greedy (seed 1, all 256 problems); 5 points leaves room for another CPU's rounding, not for a broken trainer.
        Assert.That(report.SampledChange, Is.GreaterThanOrEqualTo(5.0), "RLSC no longer raises sampled accuracy: see the table above");
        Assert.That(report.Variants["rlsc-sampled"].Agreement!.Value, Is.GreaterThan(report.Variants["base-sampled"].Agreement!.Value), "RLSC no longer sharpens the answers");
        Assert.That(report.GreedyChange, Is.GreaterThanOrEqualTo(-2.0), "RLSC lowered greedy accuracy: see the table above");
    }

    /// <summary>
    /// Issue 18: the committed thresholds (eval-suites/thresholds/embedded-default.json: avg@8, paired against the base)
    /// pass the default run's fine-tuned model, and fail a run whose trainer changes nothing (eng/gate/noop.json:
    /// learning rate 1e-12, one step), which costs one more evaluation. The base model's own summary is refused by the
    /// fine-tuned key.
    /// </summary>
    [Test]
    public void The_gate_passes_the_default_run_and_fails_a_no_op_run()
    {
        var (config, _) = DefaultRun.Value;
        string Summary(string runFolder, string variant) => Path.Combine(runFolder, BeforeAfterEvaluation.EvalFolder, variant, "summary.json");
        GateResult Gate(string summary) => GateRunner.Run(new GateOptions
        {
            SummaryFile = summary,
            BaselineFile = Summary(config.Output, "base-sampled"),
            ModelKey = "embedded-default",
            Freshness = new FreshnessOptions { MaxAge = null },
        });

        var passed = Gate(Summary(config.Output, "rlsc-sampled"));
        TestContext.Out.WriteLine(GateTable.Text(passed));
        Assert.That(passed.Passed, Is.True, string.Join("\n", passed.Findings.Select(f => f.ToCanonicalString())));
        Assert.That(passed.Verdicts.Single().Metric, Is.EqualTo("avg@8"));

        // The no-op run: the same configuration with eng/gate/noop.json's learning rate and steps. Its base model's
        // figures are the default run's (same model, problems and evaluation seed), so only the "fine-tuned" model is evaluated.
        var noop = RunConfigJson.Load<FineTuneConfig>(Path.Combine(Root(), "eng", "gate", "noop.json"), []);
        var noopConfig = Config(Path.Combine(_dir, "noop"), ("optimizer.learning_rate", noop.Optimizer.LearningRate),
            ("training.steps", noop.Training.Steps), ("evaluation.lowered_temperature", null!), ("evaluation.plots", false));
        Assert.That(RlscTrainer.Run(noopConfig, new TrainingRunOptions()).Status, Is.EqualTo("completed"));
        var knownBase = DefaultRun.Value.Report.Variants.Where(v => v.Key.StartsWith("base-", StringComparison.Ordinal)).ToDictionary();
        BeforeAfterEvaluation.Run(noopConfig, noopConfig.Output, Path.Combine(noopConfig.Output, "checkpoints", CheckpointStore.FinalName), knownBase: knownBase);
        var failed = Gate(Summary(noopConfig.Output, "rlsc-sampled"));
        TestContext.Out.WriteLine(GateTable.Text(failed));
        Assert.That(failed.Passed, Is.False, "the gate passed a trainer that changed nothing");
        Assert.That(failed.Errors.Select(e => e.Code), Does.Contain("RLSC182"), "the paired test must see that the no-op model did not gain");

        var refused = Assert.Throws<RlscException>(() => Gate(Summary(config.Output, "base-sampled")))!;
        Assert.That(refused.Code, Is.EqualTo("RLSC180"), "the base model's summary must not pass under the fine-tuned key");
    }

    [Test]
    public void The_training_split_gold_answers_are_never_read()
    {
        // Three copies of the training questions: as committed (no answer), with their true answers, and with poisoned
        // answers that cannot even be decoded. Training on each must give the same weights bit for bit.
        string root = Root();
        var task = ArithmeticTaskGenerator.Generate(JsonSerializer.Deserialize<ArithmeticTaskOptions>(
            File.ReadAllText(Path.Combine(root, "eval-suites", "data", "arith", "task.json")),
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!);
        string committed = Path.Combine(root, "eval-suites", "data", "arith", "train.jsonl");
        var lines = File.ReadAllLines(committed);
        Assert.That(lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()),
            Is.EqualTo(task.Train.Select(p => p.Id)), "the generator reproduces the committed training split");
        string labelled = Path.Combine(_dir, "labelled.jsonl"), poisoned = Path.Combine(_dir, "poisoned.jsonl");
        File.WriteAllLines(labelled, lines.Select((l, i) => l[..^1] + $",\"answer\":\"{task.Train[i].Answer}\"}}"));
        File.WriteAllLines(poisoned, lines.Select(l => l[..^1] + ",\"answer\":\"\\ud800\",\"solution\":{\"gold\":[\"\\udfff\"]}}"));

        string Train(string data, string name)
        {
            var config = Config(Path.Combine(_dir, name), ("data.file", data), ("training.steps", 2), ("training.questions_per_step", 2),
                ("sampling.samples_per_question", 4), ("evaluation.suites", Array.Empty<string>()));
            var summary = RlscTrainer.Run(config, new TrainingRunOptions());
            Assert.That(summary.Status, Is.EqualTo("completed"));
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(config.Output, "checkpoints", CheckpointStore.FinalName, "model.safetensors"))));
        }

        string plain = Train(committed, "plain");
        Assert.That(Train(labelled, "labelled"), Is.EqualTo(plain));
        Assert.That(Train(poisoned, "poisoned"), Is.EqualTo(plain));
    }
}
