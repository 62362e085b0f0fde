using System.Security.Cryptography;
using System.Text.Json;
using Rlsc.Core.Config;
using Rlsc.Runtime.Demo.ArithmeticTask;
using Rlsc.Runtime.Evaluation;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Rlsc;

namespace Rlsc.Runtime.Tests.Demo;

/// <summary>
/// The embedded default on the committed base model (models/arith-base) and data (eval-suites/data/arith): a short but
/// real RLSC run that must still raise sampled accuracy on held-out problems, and proof that the training split's gold
/// answers cannot influence training. Slow for a unit test (the first runs the whole default training: about 3.5 minutes on 2 cores), so they carry the
/// category "EmbeddedDefault".
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

    [Test]
    public void Rlsc_still_raises_sampled_accuracy_on_held_out_problems()
    {
        // The default run on half the held-out problems, without the lowered-temperature variant and the plots.
        var config = Config(Path.Combine(_dir, "run"),
            ("evaluation.limit", 128), ("evaluation.lowered_temperature", null!), ("evaluation.plots", false));
        var summary = RlscTrainer.Run(config, new TrainingRunOptions());
        Assert.That(summary.Status, Is.EqualTo("completed"));
        var report = BeforeAfterEvaluation.Run(config, config.Output, Path.Combine(config.Output, "checkpoints", CheckpointStore.FinalName));
        TestContext.Out.WriteLine(report.ToMarkdown());
        // Measured values and their margins: docs/embedded-default.md, "The CI test".
        // Measured +14.3 sampled, +1.6 greedy; 5 points leaves room for another CPU's rounding, not for a broken trainer.
        Assert.That(report.SampledChange, Is.GreaterThanOrEqualTo(5.0), "RLSC no longer raises sampled accuracy: see the table above");
        Assert.That(report.Variants["rlsc-sampled"].Agreement!.Value, Is.GreaterThan(report.Variants["base-sampled"].Agreement!.Value), "RLSC no longer sharpens the answers");
        Assert.That(report.GreedyChange, Is.GreaterThanOrEqualTo(-2.0), "RLSC lowered greedy accuracy: see the table above");
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
