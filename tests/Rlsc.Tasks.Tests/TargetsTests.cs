using Rlsc.Core.Config;
using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>
/// build/Rlsc.Tasks.targets under a real <c>dotnet msbuild</c>, in a generated project that imports them from the
/// source tree, with the fake rlsc: incremental fine-tune (skip and say so; rerun on a changed input), resume of an
/// interrupted run, per-model evaluation, errors on bad input. The end-to-end run with the real rlsc is in
/// SampleProjectTests.
/// </summary>
public class TargetsTests
{
    string _folder = null!;
    string _project = null!;
    string _log = null!;
    Dictionary<string, string?> _environment = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = TestPaths.NewTempFolder("rlsc-targets-");
        _project = Path.Combine(_folder, "model.proj");
        _log = Path.Combine(_folder, "fake-rlsc.log");
        _environment = new() { ["FAKE_RLSC_LOG"] = _log };
        File.WriteAllText(Path.Combine(_folder, "run.json"), "{\"steps\": 2}");
        Directory.CreateDirectory(Path.Combine(_folder, "base-model"));
        File.WriteAllText(Path.Combine(_folder, "base-model", "config.json"), "{}");
        File.WriteAllText(_project, $"""
            <Project>
              <Import Project="{TestPaths.TargetsFolder}/Rlsc.Tasks.props" />
              <PropertyGroup>
                <RlscTasksAssembly>{TestPaths.TasksAssembly}</RlscTasksAssembly>
                <RlscToolPath>{TestPaths.FakeTool}</RlscToolPath>
                <RlscConfig>run.json</RlscConfig>
                <RlscModel>base-model</RlscModel>
                <RlscSuites>math500;gsm8k</RlscSuites>
              </PropertyGroup>
              <Import Project="{TestPaths.TargetsFolder}/Rlsc.Tasks.targets" />
            </Project>
            """);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    DotnetCommand.Result Build(string target, params string[] properties) => DotnetCommand.MSBuild(_project, target, _environment, properties);

    List<List<string>> Invocations()
    {
        var runs = new List<List<string>>();
        if (!File.Exists(_log)) return runs;
        var current = new List<string>();
        foreach (string line in File.ReadAllLines(_log))
            if (line == "--end--") { runs.Add(current); current = new(); }
            else current.Add(line);
        File.Delete(_log);
        return runs;
    }

    const string Skipped = "RlscFineTune: skipped";

    [Test]
    public void A_second_build_skips_the_fine_tune_and_says_so()
    {
        var first = Build("RlscFineTune");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(first.Output, Does.Not.Contain(Skipped));
        Assert.That(Invocations().Single(), Is.EqualTo(new[]
        {
            "finetune", "--config", Path.Combine(_folder, "run.json"), "--model", "base-model", "--output", Path.Combine(_folder, "artifacts/rlsc/finetune/"),
        }));

        var second = Build("RlscFineTune");
        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        Assert.That(second.Output, Does.Contain(Skipped + ", " + Path.Combine(_folder, "artifacts/rlsc/finetune/") + " is up to date"));
        Assert.That(Invocations(), Is.Empty);
    }

    [Test]
    public void A_changed_configuration_reruns_but_a_touched_one_does_not()
    {
        Assert.That(Build("RlscFineTune").ExitCode, Is.EqualTo(0));
        Invocations();

        File.SetLastWriteTimeUtc(Path.Combine(_folder, "run.json"), DateTime.UtcNow.AddSeconds(5));
        var touched = Build("RlscFineTune");
        Assert.That(touched.Output, Does.Contain(Skipped), "same content: the configuration is compared by hash");
        Assert.That(Invocations(), Is.Empty);

        File.WriteAllText(Path.Combine(_folder, "run.json"), "{\"steps\": 3}");
        var changed = Build("RlscFineTune");
        Assert.That(changed.ExitCode, Is.EqualTo(0), changed.ToString());
        Assert.That(changed.Output, Does.Not.Contain(Skipped).And.Contain("the inputs changed"));
        Assert.That(Invocations(), Has.Count.EqualTo(1));
    }

    [Test]
    public void Changed_switches_and_newer_model_files_rerun()
    {
        Assert.That(Build("RlscFineTune").ExitCode, Is.EqualTo(0));
        Invocations();

        var steps = Build("RlscFineTune", "RlscSteps=5");
        Assert.That(steps.ExitCode, Is.EqualTo(0), steps.ToString());
        Assert.That(Invocations().Single(), Does.Contain("--steps").And.Contain("5"));
        Assert.That(Build("RlscFineTune", "RlscSteps=5").Output, Does.Contain(Skipped));

        File.SetLastWriteTimeUtc(Path.Combine(_folder, "base-model", "config.json"), DateTime.UtcNow.AddMinutes(1));
        Assert.That(Build("RlscFineTune", "RlscSteps=5").Output, Does.Not.Contain(Skipped));
        Assert.That(Invocations(), Has.Count.EqualTo(1));
    }

    [Test]
    public void An_interrupted_run_resumes_when_its_inputs_are_unchanged()
    {
        _environment["FAKE_RLSC_EXIT"] = "130";
        _environment["FAKE_RLSC_STDERR"] = "rlsc: error RLSC004: interrupted at step 1; rerun with --resume";
        var interrupted = Build("RlscFineTune");
        Assert.That(interrupted.ExitCode, Is.Not.EqualTo(0));
        Assert.That(interrupted.Output, Does.Contain("error RLSC004: interrupted at step 1"));
        // What the trainer leaves behind when interrupted: a checkpoint and a summary saying so, no final checkpoint.
        Directory.CreateDirectory(Path.Combine(_folder, "artifacts/rlsc/finetune/checkpoints/step-1"));
        File.WriteAllText(Path.Combine(_folder, "artifacts/rlsc/finetune/summary.json"), "{\"status\": \"interrupted\"}");
        Invocations();

        _environment.Remove("FAKE_RLSC_EXIT");
        _environment.Remove("FAKE_RLSC_STDERR");
        var resumed = Build("RlscFineTune");
        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.ToString());
        Assert.That(resumed.Output, Does.Contain("resuming the interrupted run"));
        Assert.That(Invocations().Single(), Does.Contain("--resume"));
    }

    [Test]
    public void An_interrupted_run_with_other_inputs_starts_over()
    {
        _environment["FAKE_RLSC_EXIT"] = "130";
        Build("RlscFineTune");
        Directory.CreateDirectory(Path.Combine(_folder, "artifacts/rlsc/finetune/checkpoints/step-1"));
        Invocations();
        _environment.Remove("FAKE_RLSC_EXIT");

        var other = Build("RlscFineTune", "RlscSteps=4");
        Assert.That(other.ExitCode, Is.EqualTo(0), other.ToString());
        Assert.That(other.Output, Does.Contain("removing it and training again"));
        Assert.That(Invocations().Single(), Does.Not.Contain("--resume"));
        Assert.That(Directory.Exists(Path.Combine(_folder, "artifacts/rlsc/finetune/checkpoints/step-1")), Is.False);
    }

    [Test]
    public void Rlsc_runs_in_the_project_folder_or_in_RlscWorkingDirectory()
    {
        Assert.That(Build("RlscFineTune").ExitCode, Is.EqualTo(0));
        Assert.That(File.ReadAllText(_log + ".cwd").Trim(), Is.EqualTo(_folder));

        string root = Path.Combine(_folder, "root");
        Directory.CreateDirectory(root);
        Assert.That(Build("RlscFineTune", "RlscWorkingDirectory=" + root, "RlscSteps=3").ExitCode, Is.EqualTo(0));
        Assert.That(File.ReadAllText(_log + ".cwd").Trim(), Is.EqualTo(root));
    }

    [Test]
    public void A_missing_configuration_fails_with_its_name()
    {
        var result = Build("RlscFineTune", "RlscConfig=configs/default.json");
        Assert.That(result.ExitCode, Is.Not.EqualTo(0));
        Assert.That(result.Output, Does.Contain("error RLSC092: RlscConfig names 'configs/default.json'").And.Contain(Path.Combine(_folder, "configs/default.json")));
        Assert.That(Invocations(), Is.Empty);
    }

    [Test]
    public void Without_RlscModel_the_base_model_is_the_one_the_run_configuration_names()
    {
        // The embedded default's case: configs/default.json names the model, and no RlscModel is given.
        File.WriteAllText(Path.Combine(_folder, "run.json"), "{\n  // comment\n  \"model\": \"base-model\",\n  \"steps\": 2\n}");
        var result = Build("RlscEvaluate", "RlscModel=");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var runs = Invocations();
        Assert.That(runs.Select(r => r[0]), Is.EqualTo(new[] { "finetune", "eval", "eval" }));
        Assert.That(runs[0], Does.Not.Contain("--model"));
        Assert.That(runs[1].Take(3), Is.EqualTo(new[] { "eval", "--model", Path.Combine(_folder, "base-model") + Path.DirectorySeparatorChar }));

        // A hub id (no such folder) is passed on as it is.
        File.WriteAllText(Path.Combine(_folder, "run.json"), "{\"model\": \"Qwen/Qwen2.5-Math-1.5B\", \"steps\": 3}");
        Assert.That(Build("RlscEvaluate", "RlscModel=").ExitCode, Is.EqualTo(0));
        var evals = Invocations().Where(r => r[0] == "eval").ToList();
        Assert.That(evals.Select(r => r[2]), Does.Contain("Qwen/Qwen2.5-Math-1.5B"));
        Assert.That(evals.Select(r => r.SkipWhile(a => a != "--model-name").Skip(1).FirstOrDefault()), Does.Contain("Qwen/Qwen2.5-Math-1.5B+rlsc"));
    }

    [Test]
    public void Without_any_model_the_base_evaluation_says_what_to_set()
    {
        // Neither RlscModel nor the configuration names one: the run's config.json records an empty model.
        File.WriteAllText(Path.Combine(_folder, "run.json"), "{}");
        var result = Build("RlscEvaluate", "RlscModel=");
        Assert.That(result.ExitCode, Is.Not.EqualTo(0));
        Assert.That(result.Output, Does.Contain("error RLSC091: The evaluation 'base' has no model (and the run folder's config.json names none)"));
        Assert.That(Invocations().Select(r => r[0]), Is.EqualTo(new[] { "finetune" }));
    }

    [Test]
    public void Evaluate_runs_the_base_and_the_fine_tuned_model_on_the_same_suites_then_skips_both()
    {
        var first = Build("RlscEvaluate");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        var runs = Invocations();
        Assert.That(runs.Select(r => r[0]), Is.EqualTo(new[] { "finetune", "eval", "eval" }));
        // Greedy (no RlscEvalSamples): each model's greedy evaluation by the fine-tune, with the run's evaluation seed (0 by default).
        Assert.That(runs[1], Is.EqualTo(new[]
        {
            "eval", "--model", "base-model", "--suite", "math500,gsm8k", "--output", Path.Combine(_folder, "artifacts/rlsc/eval/base/"), "--seed", "0",
            "--reuse", Path.Combine(_folder, "artifacts/rlsc/finetune/eval/base-greedy/"),
        }));
        Assert.That(runs[2].Take(5), Is.EqualTo(new[] { "eval", "--model", Path.Combine(_folder, "artifacts/rlsc/finetune/checkpoints/final"), "--model-name", "base-model+rlsc" }));
        Assert.That(runs[2].Skip(runs[2].Count - 2), Is.EqualTo(new[] { "--reuse", Path.Combine(_folder, "artifacts/rlsc/finetune/eval/rlsc-greedy/") }));

        var second = Build("RlscEvaluate");
        Assert.That(second.Output, Does.Contain(Skipped).And.Contain("RlscEvaluate: skipped 'base'").And.Contain("RlscEvaluate: skipped 'finetuned'"));
        Assert.That(Invocations(), Is.Empty);

        var moreProblems = Build("RlscEvaluate", "RlscEvalLimit=2");
        Assert.That(Invocations().Select(r => r.Contains("--limit")), Is.EqualTo(new[] { true, true }));
        Assert.That(moreProblems.ExitCode, Is.EqualTo(0));
    }

    /// <summary>What rlsc finetune writes to the run folder for a configuration with an evaluation section (the fake rlsc writes none).</summary>
    void RunEvaluatedWith(long seed, int batchSize)
    {
        string runConfig = Path.Combine(_folder, "artifacts/rlsc/finetune/config.json");
        var config = RunConfigJson.Read<FineTuneConfig>(runConfig);
        config.Evaluation.Suites = ["gsm8k"];
        config.Evaluation.Seed = seed;
        config.Evaluation.BatchSize = batchSize;
        File.WriteAllText(runConfig, RunConfigJson.ToJson(config));
    }

    static string After(List<string> arguments, string name) => arguments[arguments.IndexOf(name) + 1];

    [Test]
    public void The_evaluations_sample_as_the_runs_own_evaluation_and_offer_it_for_reuse()
    {
        Assert.That(Build("RlscFineTune", "RlscSeed=5").ExitCode, Is.EqualTo(0));
        Assert.That(After(Invocations().Single(), "--seed"), Is.EqualTo("5"), "--seed seeds the fine-tune");
        RunEvaluatedWith(seed: 7, batchSize: 64);

        string[] sampled = ["RlscSeed=5", "RlscEvalSamples=8", "RlscEvalTemperature=0.5"];
        var result = Build("RlscEvaluate", sampled);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var evals = Invocations();
        Assert.That(evals.Select(r => r[0]), Is.EqualTo(new[] { "eval", "eval" }), "the fine-tune is up to date");
        foreach (var (eval, variant) in evals.Zip(new[] { "base-sampled", "rlsc-sampled" }))
        {
            Assert.That((After(eval, "--seed"), After(eval, "--batch-size")), Is.EqualTo(("7", "64")), "the run's evaluation.seed and batch_size, not the training seed");
            Assert.That(After(eval, "--reuse"), Is.EqualTo(Path.Combine(_folder, "artifacts/rlsc/finetune/eval", variant) + "/"));
        }

        // RlscEvalSeed and RlscEvalBatchSize win, and a new seed is a new evaluation.
        Assert.That(Build("RlscEvaluate", [.. sampled, "RlscEvalSeed=3", "RlscEvalBatchSize=16"]).ExitCode, Is.EqualTo(0));
        evals = Invocations();
        Assert.That(evals.Select(r => (After(r, "--seed"), After(r, "--batch-size"))), Is.EqualTo(new[] { ("3", "16"), ("3", "16") }));
        Assert.That(Build("RlscEvaluate", [.. sampled, "RlscEvalSeed=3", "RlscEvalBatchSize=16"]).Output, Does.Contain("RlscEvaluate: skipped 'base'"));
        Assert.That(Invocations(), Is.Empty);
    }

    [Test]
    public void An_interrupted_evaluation_resumes_and_a_new_CI_run_id_evaluates_again()
    {
        Assert.That(Build("RlscFineTune").ExitCode, Is.EqualTo(0));
        _environment["FAKE_RLSC_ONLY"] = "eval";
        _environment["FAKE_RLSC_EXIT"] = "130";
        Assert.That(Build("RlscEvaluate", "RlscEvaluateFineTuned=false").ExitCode, Is.Not.EqualTo(0));
        Directory.CreateDirectory(Path.Combine(_folder, "artifacts/rlsc/eval/base"));   // what an interrupted eval leaves
        Invocations();
        _environment.Remove("FAKE_RLSC_EXIT");

        var resumed = Build("RlscEvaluate", "RlscEvaluateFineTuned=false");
        Assert.That(resumed.ExitCode, Is.EqualTo(0), resumed.ToString());
        Assert.That(resumed.Output, Does.Contain("resuming the interrupted evaluation 'base'"));
        Assert.That(Invocations().Single(), Does.Contain("--resume"));

        Assert.That(Build("RlscEvaluate", "RlscEvaluateFineTuned=false").Output, Does.Contain("RlscEvaluate: skipped 'base'"));
        _environment["RLSC_RUN_ID"] = "1234-1";
        var newRun = Build("RlscEvaluate", "RlscEvaluateFineTuned=false");
        Assert.That(newRun.Output, Does.Not.Contain("skipped 'base'"));
        Assert.That(Invocations().Single(), Does.Not.Contain("--resume"));

        _environment["FAKE_RLSC_ONLY"] = "gate";
        Assert.That(Build("RlscGate", "RlscEvaluateFineTuned=false", "RlscGateSummary=artifacts/rlsc/eval/base/summary.json").ExitCode, Is.EqualTo(0));
        var gate = Invocations().Last();
        Assert.That(gate[gate.IndexOf("--run-id") + 1], Is.EqualTo("1234-1"), "the gate checks the CI run id the evaluation recorded");
    }

    [Test]
    public void Listed_evaluations_replace_the_defaults_and_carry_their_own_settings()
    {
        File.WriteAllText(_project, File.ReadAllText(_project).Replace("</Project>", """
              <ItemGroup>
                <RlscEvaluation Include="greedy" Model="base-model" />
                <RlscEvaluation Include="sampled" Model="base-model" Samples="4" Temperature="0.5" Suites="gsm8k" />
              </ItemGroup>
            </Project>
            """));
        var result = Build("RlscEvaluate");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var runs = Invocations();
        Assert.That(runs.Select(r => r[0]), Is.EqualTo(new[] { "eval", "eval" }), "no fine-tune: the listed models do not need it");
        Assert.That(runs[0], Is.EqualTo(new[] { "eval", "--model", "base-model", "--suite", "math500,gsm8k", "--output", Path.Combine(_folder, "artifacts/rlsc/eval/greedy/") }));
        Assert.That(runs[1], Is.EqualTo(new[]
        {
            "eval", "--model", "base-model", "--suite", "gsm8k", "--output", Path.Combine(_folder, "artifacts/rlsc/eval/sampled/"), "--samples", "4", "--temperature", "0.5",
        }));
    }

    [Test]
    public void Evaluate_without_suites_says_what_to_set()
    {
        var result = Build("RlscEvaluate", "RlscSuites=");
        Assert.That(result.ExitCode, Is.Not.EqualTo(0));
        Assert.That(result.Output, Does.Contain("error RLSC091: RlscSuites is empty"));
    }

    [Test]
    public void Gate_failures_are_build_errors_at_the_file_and_line_rlsc_names()
    {
        Assert.That(Build("RlscEvaluate").ExitCode, Is.EqualTo(0));
        _environment["FAKE_RLSC_EXIT"] = "1";
        _environment["FAKE_RLSC_STDERR"] = "eval-suites/thresholds.json(9): error RLSC081: math500 accuracy 0.21 is below the minimum 0.30";
        var gate = Build("RlscGate");
        Assert.That(gate.ExitCode, Is.Not.EqualTo(0));
        Assert.That(gate.Lines, Has.Some.Contains("eval-suites/thresholds.json(9): error RLSC081: math500 accuracy 0.21 is below the minimum 0.30"));
    }

    [Test]
    public void Report_compares_base_with_fine_tuned()
    {
        var result = Build("RlscReport");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var report = Invocations().Last();
        Assert.That(report, Is.EqualTo(new[]
        {
            "report", "compare", Path.Combine(_folder, "artifacts/rlsc/eval/base/summary.json"), Path.Combine(_folder, "artifacts/rlsc/eval/finetuned/summary.json"),
            "--output", Path.Combine(_folder, "artifacts/rlsc/report.md"),
        }));
        Assert.That(File.Exists(Path.Combine(_folder, "artifacts/rlsc/report.md")), Is.True);
    }
}
