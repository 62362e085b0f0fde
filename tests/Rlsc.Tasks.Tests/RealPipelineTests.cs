using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>
/// The sample project, consuming the packed Rlsc.Tasks, with the real rlsc and a tiny random model (`rlsc init-model`, see TinyModel):
/// fine-tunes two steps, evaluates the base and the fine-tuned model, reports and gates; a second build skips the
/// fine-tune and the evaluations and says so; a changed configuration trains again; cancelling leaves the run
/// resumable; a bad configuration fails with rlsc's code at its file and line. The slowest tests here (each rlsc run loads
/// TorchSharp): the model is tiny and the run is one question, two samples of eight tokens.
/// </summary>
[NonParallelizable]
public class RealPipelineTests
{
    string _folder = null!;
    string _model = null!;
    string _config = null!;

    [OneTimeSetUp]
    public void MakeTinyModel()
    {
        _folder = TestPaths.NewTempFolder("rlsc-e2e-");
        _model = Path.Combine(_folder, "tiny-base");
        TinyModel.Write(_model, seed: Environment.TickCount & 0xFFFF);
        _config = Path.Combine(_folder, "run.json");
        File.WriteAllText(_config, """
            {
              "schema": "rlsc.finetune/v1",
              "device": "cpu",
              "data": { "suite": "gsm8k", "limit": 1 },
              "sampling": { "samples_per_question": 2, "max_new_tokens": 8 },
              "training": { "steps": 2, "checkpoint_every": 1 }
            }
            """);
    }

    /// <summary>A random model answers nothing right: the gate requires the suite, complete, with no minimum.</summary>
    string Thresholds()
    {
        string file = Path.Combine(_folder, "thresholds.json");
        File.WriteAllText(file, """
            {
              "schema": "rlsc.gate.thresholds/v1",
              "model_key": "thresholds",
              "any_model": true,
              "suites": { "gsm8k": { "metric": "greedy", "min_accuracy": 0.0, "count": 1 } }
            }
            """);
        return file;
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_folder, recursive: true);

    string[] Properties(string config) => new[] { "RlscToolPath=" + TestPaths.RlscCli, "RlscModel=" + _model, "RlscConfig=" + config };

    [Test]
    public void The_sample_fine_tunes_evaluates_reports_and_gates_then_skips_until_the_configuration_changes()
    {
        string sample = PackedSample.CopySample();
        string[] properties = Properties(_config).Concat(new[]
        {
            "RlscSuites=gsm8k", "RlscEvalLimit=1", "RlscEvalMaxNewTokens=8", "RlscThresholds=" + Thresholds(),
        }).ToArray();

        // `dotnet build` of the sample: fine-tune, evaluate base and fine-tuned, report, gate.
        var first = PackedSample.Build(sample, null, properties);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());

        string output = Path.Combine(sample, "artifacts", "rlsc");
        string run = Path.Combine(output, "finetune");
        Assert.That(File.Exists(Path.Combine(run, "checkpoints", "final", "config.json")), Is.True, first.ToString());
        Assert.That(Directory.GetFiles(Path.Combine(run, "checkpoints", "final"), "*.safetensors"), Is.Not.Empty);
        Assert.That(Directory.Exists(Path.Combine(run, "checkpoints", "step-1")), Is.True);
        Assert.That(File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Count(l => l.Contains("train/loss")), Is.EqualTo(2), "two steps logged");
        Assert.That(File.ReadAllText(Path.Combine(run, "summary.json")), Does.Match("\"status\":\\s*\"completed\""));
        foreach (string name in new[] { "base", "finetuned" })
        {
            using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "eval", name, "summary.json")));
            Assert.That(summary.RootElement.GetProperty("schema").GetString(), Is.EqualTo("rlsc.eval.summary/v1"), name);
            Assert.That(summary.RootElement.GetProperty("suites").GetProperty("gsm8k").GetProperty("count").GetInt32(), Is.EqualTo(1), name);
        }
        Assert.That(File.ReadAllText(Path.Combine(output, "report.md")), Does.Contain("gsm8k"));
        Assert.That(File.ReadAllText(Path.Combine(output, "gate.md")), Does.StartWith("### Quality gate: passed"));

        var second = PackedSample.Build(sample, null, properties);
        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        Assert.That(second.Output, Does.Contain("RlscFineTune: skipped, " + Path.Combine(run, "")));
        Assert.That(second.Output, Does.Contain("RlscEvaluate: skipped 'base'").And.Contain("RlscEvaluate: skipped 'finetuned'"));
        Assert.That(second.Output, Does.Not.Contain("RlscFineTune: fine-tuning"));

        string changed = Path.Combine(_folder, "run-3.json");
        File.WriteAllText(changed, File.ReadAllText(_config).Replace("\"samples_per_question\": 2", "\"samples_per_question\": 3"));
        var third = PackedSample.Build(sample, "RlscFineTune", null, Properties(changed));
        Assert.That(third.ExitCode, Is.EqualTo(0), third.ToString());
        Assert.That(third.Output, Does.Contain("the inputs changed since the run").And.Contain("RlscFineTune: fine-tuning"));
        Assert.That(File.ReadAllText(Path.Combine(run, "config.json")), Does.Match("\"samples_per_question\":\\s*3"));
        Directory.Delete(sample, recursive: true);
    }

    /// <summary>
    /// The Gate path evaluates each model once: a run whose configuration evaluates (as configs/default.json does)
    /// already holds eval/base-sampled/ and eval/rlsc-sampled/, and the Evaluate stage, asking for the same evaluation
    /// (k, temperature, limit and tokens as the run's; the run's evaluation seed and batch size by default), copies them
    /// rather than generating again. The targets come from the source tree, as build/Pipeline.proj imports them.
    /// </summary>
    [Test]
    public void The_evaluations_of_the_run_reuse_the_fine_tunes_own()
    {
        string folder = Path.Combine(_folder, "reuse");
        Directory.CreateDirectory(folder);
        string config = Path.Combine(folder, "run.json");
        File.WriteAllText(config, """
            {
              "schema": "rlsc.finetune/v1",
              "device": "cpu",
              "data": { "suite": "gsm8k", "limit": 1 },
              "sampling": { "samples_per_question": 2, "max_new_tokens": 8, "temperature": 0.5 },
              "training": { "steps": 1 },
              "evaluation": { "suites": ["gsm8k"], "samples": 2, "limit": 1, "max_new_tokens": 8, "plots": false }
            }
            """);
        string project = Path.Combine(folder, "model.proj");
        File.WriteAllText(project, $"""
            <Project>
              <Import Project="{TestPaths.TargetsFolder}/Rlsc.Tasks.props" />
              <PropertyGroup>
                <RlscTasksAssembly>{TestPaths.TasksAssembly}</RlscTasksAssembly>
                <RlscToolPath>{TestPaths.RlscCli}</RlscToolPath>
                <RlscConfig>run.json</RlscConfig>
                <RlscModel>{_model}</RlscModel>
                <RlscSuites>gsm8k</RlscSuites>
                <RlscEvalSamples>2</RlscEvalSamples>
                <RlscEvalTemperature>0.5</RlscEvalTemperature>
                <RlscEvalLimit>1</RlscEvalLimit>
                <RlscEvalMaxNewTokens>8</RlscEvalMaxNewTokens>
                <RlscMessageImportance>High</RlscMessageImportance>
              </PropertyGroup>
              <Import Project="{TestPaths.TargetsFolder}/Rlsc.Tasks.targets" />
            </Project>
            """);

        var result = DotnetCommand.MSBuild(project, "RlscReport");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        string run = Path.Combine(folder, "artifacts", "rlsc", "finetune");
        foreach (var (name, variant) in new[] { ("base", "base-sampled"), ("finetuned", "rlsc-sampled") })
        {
            string original = Path.Combine(run, "eval", variant);
            Assert.That(result.Output, Does.Contain($"eval: reused the finished evaluation in {original}"), result.ToString());
            foreach (string file in new[] { "summary.json", "problems.jsonl", "report.md" })
                Assert.That(File.ReadAllBytes(Path.Combine(folder, "artifacts", "rlsc", "eval", name, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(original, file))), $"{name}/{file}");
        }
        Assert.That(result.Output, Does.Not.Contain("not reusing"));
        Assert.That(File.ReadAllText(Path.Combine(folder, "artifacts", "rlsc", "report.md")), Does.StartWith("## RLSC before/after: gsm8k (1 held-out problems)"));

        // Another seed is another evaluation: said, and evaluated.
        var reseeded = DotnetCommand.MSBuild(project, "RlscEvaluate", null, "RlscEvalSeed=1");
        Assert.That(reseeded.ExitCode, Is.EqualTo(0), reseeded.ToString());
        Assert.That(reseeded.Output, Does.Contain($"eval: not reusing {Path.Combine(run, "eval", "base-sampled")}: its settings.seed is 0, this evaluation's would be 1; evaluating."));
    }

    [Test]
    public void Cancelling_a_real_fine_tune_stops_it_at_a_checkpoint_and_resuming_completes_it()
    {
        var harness = new TaskHarness();
        string config = harness.Path("long.json");
        File.WriteAllText(config, File.ReadAllText(_config).Replace("\"steps\": 2", "\"steps\": 4"));
        RlscFineTune Task(bool resume) => harness.Prepare(new RlscFineTune
        {
            RlscToolPath = TestPaths.RlscCli, Config = TaskHarness.Item(config), Model = _model,
            OutputDirectory = TaskHarness.Item(harness.Path("run")), Resume = resume, ProgressImportance = "High",
        });

        var first = Task(resume: false);
        var execution = System.Threading.Tasks.Task.Run(first.Execute);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!harness.Engine.MessageTexts.Any(m => m.StartsWith("[finetune] step 1/4 ")) && !execution.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(2))
            Thread.Sleep(50);
        Assert.That(execution.IsCompleted, Is.False, "the run ended before it could be cancelled:\n" + string.Join("\n", harness.Engine.MessageTexts));
        first.Cancel();
        Assert.That(execution.Wait(TimeSpan.FromMinutes(1)), Is.True, "rlsc did not stop after SIGINT");

        Assert.That(execution.Result, Is.False);
        Assert.That(harness.Engine.ErrorCodes, Is.EqualTo(new[] { "RLSC004" }), string.Join("\n", harness.Engine.Errors.Select(e => e.Message)));
        Assert.That(File.ReadAllText(harness.Path("run", "summary.json")), Does.Match("\"status\":\\s*\"interrupted\""));
        Assert.That(Directory.Exists(harness.Path("run", "checkpoints", "final")), Is.False);
        Assert.That(Directory.GetDirectories(harness.Path("run", "checkpoints"), "step-*"), Is.Not.Empty, "a checkpoint to resume from");

        harness.Engine.Errors.Clear();
        var resumed = Task(resume: true);
        Assert.That(resumed.Execute(), Is.True, string.Join("\n", harness.Engine.Errors.Select(e => e.Message)));
        Assert.That(File.ReadAllText(resumed.SummaryFile!.ItemSpec), Does.Match("\"status\":\\s*\"completed\""));
        Assert.That(File.ReadAllLines(harness.Path("run", "metrics.jsonl")).Count(l => l.Contains("train/loss")), Is.EqualTo(4), "each step once, across the interruption");
    }

    [Test]
    public void A_bad_run_configuration_fails_with_rlscs_code_at_its_file_and_line()
    {
        string bad = Path.Combine(_folder, "bad.json");
        File.WriteAllText(bad, """
            {
              "schema": "rlsc.finetune/v1",
              "device": "cpu",
              "training": { "stepz": 2 }
            }
            """);
        string sample = PackedSample.CopySample();
        var result = PackedSample.Build(sample, "RlscFineTune", null, Properties(bad));
        Assert.That(result.ExitCode, Is.Not.EqualTo(0));
        Assert.That(result.Lines, Has.Some.Match(@"bad\.json\(4(,\d+)?\): error RLSC001: unknown option 'training\.stepz'"), result.ToString());
        Assert.That(result.Output, Does.Not.Contain("RLSC093"), "rlsc's own error, not the task's 'failed without an error'");
        Directory.Delete(sample, recursive: true);
    }
}
