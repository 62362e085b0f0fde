using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>
/// The Cake stages (build.cake) on GitHub Actions, with a fake environment and the fake rlsc: each stage in a log
/// group, the report in the job summary, gate failures as annotations and a failed stage.
/// Each test runs `dotnet cake` (a few seconds to compile the script) with --exclusive, so no solution build.
/// </summary>
public class CakeStagesTests
{
    string _folder = null!;
    string _stepSummary = null!;
    Dictionary<string, string?> _environment = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = TestPaths.NewTempFolder("rlsc-cake-");
        _stepSummary = Path.Combine(_folder, "step_summary.md");
        File.WriteAllText(Path.Combine(_folder, "run.json"), "{}");
        Directory.CreateDirectory(Path.Combine(_folder, "base"));
        _environment = new()
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_STEP_SUMMARY"] = _stepSummary,
            ["GITHUB_WORKSPACE"] = TestPaths.RepoRoot,
            ["FAKE_RLSC_LOG"] = Path.Combine(_folder, "fake-rlsc.log"),
        };
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    DotnetCommand.Result Cake(string target, params string[] arguments) => DotnetCommand.Run(TestPaths.RepoRoot, new[]
    {
        "cake", "build.cake", "--target=" + target, "--exclusive", "--configuration=" + TestPaths.Configuration,
        "--rlsc=" + TestPaths.FakeTool, "--config=" + Path.Combine(_folder, "run.json"), "--model=" + Path.Combine(_folder, "base"),
        "--output=" + _folder + "/out/",
    }.Concat(arguments), _environment);

    [Test]
    public void Report_stage_is_a_log_group_and_its_report_goes_into_the_job_summary()
    {
        var result = Cake("Report");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var lines = result.Lines;
        Assert.That(lines, Has.One.EqualTo("::group::Report"));
        Assert.That(Array.IndexOf(lines, "::endgroup::"), Is.GreaterThan(Array.IndexOf(lines, "::group::Report")));
        Assert.That(File.ReadAllText(_stepSummary), Does.StartWith("# Before and after"));
    }

    [Test]
    public void Seed_seeds_the_fine_tune_and_eval_seed_the_evaluations()
    {
        var result = Cake("Evaluate", "--seed=5", "--eval-seed=9");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var runs = new List<List<string>> { new() };
        foreach (string line in File.ReadAllLines(_environment["FAKE_RLSC_LOG"]!))
            if (line == "--end--") runs.Add(new());
            else runs[^1].Add(line);
        string SeedOf(List<string> run) => run[run.IndexOf("--seed") + 1];
        Assert.That(runs.Where(r => r.Count > 0).Select(r => (r[0], SeedOf(r))), Is.EqualTo(new[] { ("finetune", "5"), ("eval", "9"), ("eval", "9") }));
    }

    [Test]
    public void A_failing_gate_annotates_the_thresholds_line_and_fails_the_stage()
    {
        _environment["FAKE_RLSC_ONLY"] = "gate";
        _environment["FAKE_RLSC_EXIT"] = "1";
        _environment["FAKE_RLSC_STDERR"] = Path.Combine(TestPaths.RepoRoot, "eval-suites", "thresholds.json") + "(9): error RLSC081: math500 accuracy 0.21 is below the minimum 0.30";

        var result = Cake("Gate");

        Assert.That(result.ExitCode, Is.Not.EqualTo(0), result.ToString());
        Assert.That(result.Lines, Has.One.EqualTo("::group::Gate"));
        Assert.That(result.Lines.Select(l => l.Trim()),
            Has.Some.EqualTo("::error file=eval-suites/thresholds.json,line=9,title=RLSC081::math500 accuracy 0.21 is below the minimum 0.30"));
        Assert.That(result.Lines, Has.Some.StartsWith("::error::rlsc gate failed"));

        // The golden-snapshot tests read the summary the RlscGate target gave rlsc gate: the targets own that path.
        var gate = File.ReadAllLines(_environment["FAKE_RLSC_LOG"]!);
        string gated = gate[Array.IndexOf(gate, "--summary") + 1];
        Assert.That(gated, Is.EqualTo(Path.GetFullPath(Path.Combine(_folder, "out", "eval", "finetuned", "summary.json"))));
        Assert.That(result.Lines, Has.Some.Contains("Golden-snapshot tests on " + gated), result.ToString()); // in colour
    }
}
