using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>The command line each task builds, captured without running anything.</summary>
public class TaskCommandLineTests
{
    static string Full(string path) => Path.GetFullPath(path);

    [Test]
    public void FineTune_with_every_parameter()
    {
        var task = new RlscFineTune
        {
            Config = TaskHarness.Item("configs/run.json"),
            Model = "Qwen/Qwen2.5-Math-1.5B",
            OutputDirectory = TaskHarness.Item("runs/a"),
            Steps = 2,
            Samples = 4,
            Device = "CUDA",
            Seed = 0,
            Resume = true,
        };
        Assert.That(task.BuildArguments(), Is.EqualTo(new[]
        {
            "finetune", "--config", Full("configs/run.json"), "--model", "Qwen/Qwen2.5-Math-1.5B",
            "--output", Full("runs/a"), "--steps", "2", "--samples", "4", "--device", "cuda", "--seed", "0", "--resume",
        }));
    }

    [Test]
    public void FineTune_leaves_unset_parameters_to_the_configuration()
    {
        var task = new RlscFineTune { Config = TaskHarness.Item("run.json"), OutputDirectory = TaskHarness.Item("out") };
        Assert.That(task.BuildArguments(), Is.EqualTo(new[] { "finetune", "--config", Full("run.json"), "--output", Full("out") }));
    }

    [Test]
    public void Evaluate_joins_suites_with_commas_and_passes_the_model_through()
    {
        var task = new RlscEvaluate
        {
            Model = "artifacts/rlsc/finetune/checkpoints/final",
            Suites = new[] { "math500", "gsm8k,aime24" },
            OutputDirectory = TaskHarness.Item("eval/ft"),
            Samples = 4,
            Temperature = 0.6,
            MaxNewTokens = 64,
            Limit = 2,
            Device = "cpu",
            Seed = 7,
            BatchSize = 64,
            Resume = true,
            Reuse = TaskHarness.Item("artifacts/rlsc/finetune/eval/rlsc-sampled/"),
        };
        Assert.That(task.BuildArguments(), Is.EqualTo(new[]
        {
            "eval", "--model", "artifacts/rlsc/finetune/checkpoints/final", "--suite", "math500,gsm8k,aime24",
            "--output", Full("eval/ft"), "--samples", "4", "--temperature", "0.6", "--max-new-tokens", "64",
            "--limit", "2", "--device", "cpu", "--seed", "7", "--batch-size", "64", "--resume",
            "--reuse", Full("artifacts/rlsc/finetune/eval/rlsc-sampled/"),
        }));
    }

    [Test]
    public void Evaluate_grades_predictions()
    {
        var task = new RlscEvaluate { Predictions = TaskHarness.Item("p.jsonl"), Suites = new[] { "gsm8k" }, OutputDirectory = TaskHarness.Item("o") };
        Assert.That(task.BuildArguments(), Is.EqualTo(new[] { "eval", "--predictions", Full("p.jsonl"), "--suite", "gsm8k", "--output", Full("o") }));
    }

    [Test]
    public void Gate_with_every_parameter()
    {
        var full = new RlscGate
        {
            Summary = TaskHarness.Item("s.json"), Thresholds = TaskHarness.Item("t.json"), ModelKey = "embedded-default",
            Golden = TaskHarness.Item("g.json"), Suites = new[] { "math500", "gsm8k" }, MaxAge = "2d", Checkpoint = "ckpt",
            RunId = "42-1", MarkdownFile = TaskHarness.Item("gate.md"),
        };
        Assert.That(full.BuildArguments(), Is.EqualTo(new[]
        {
            "gate", "--summary", Full("s.json"), "--thresholds", Full("t.json"), "--model-key", "embedded-default", "--golden", Full("g.json"),
            "--suites", "math500,gsm8k", "--max-age", "2d", "--checkpoint", Full("ckpt"), "--run-id", "42-1", "--markdown", Full("gate.md"),
            "--annotations", "none",
        }));
    }

    [Test]
    public void Gate_leaves_annotations_to_the_task()
    {
        var minimal = new RlscGate { Summary = TaskHarness.Item("s.json"), Thresholds = TaskHarness.Item("") };
        Assert.That(minimal.BuildArguments(), Is.EqualTo(new[] { "gate", "--summary", Full("s.json"), "--annotations", "none" }));
    }

    [Test]
    public void CompareReports_puts_before_then_after()
    {
        var task = new RlscCompareReports { Baseline = TaskHarness.Item("a.json"), Candidate = TaskHarness.Item("b.json"), OutputFile = TaskHarness.Item("r.md") };
        Assert.That(task.BuildArguments(), Is.EqualTo(new[] { "report", "compare", Full("a.json"), Full("b.json"), "--output", Full("r.md") }));
    }
}
