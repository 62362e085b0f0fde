using Microsoft.Build.Framework;
using Rlsc.Tasks.GitHub;
using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>GitHub Actions behaviour, with a fake environment (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE).</summary>
public class GitHubActionsTests
{
    static GitHubActions With(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return new GitHubActions(n => map.TryGetValue(n, out var v) ? v : null);
    }

    [Test]
    public void Annotations_escape_data_and_properties()
    {
        var github = With(("GITHUB_ACTIONS", "true"));
        string line = github.Annotation("error", "accuracy 0.21 < 0.30: 50% drop\nsee report", "eval, suites/t.json", 12, 3, "RLSC081");
        Assert.That(line, Is.EqualTo("::error file=eval%2C suites/t.json,line=12,col=3,title=RLSC081::accuracy 0.21 < 0.30: 50%25 drop%0Asee report"));
    }

    [Test]
    public void Annotation_files_are_relative_to_the_workspace()
    {
        var github = With(("GITHUB_ACTIONS", "true"), ("GITHUB_WORKSPACE", "/home/runner/work/repo"));
        Assert.That(github.Annotation("error", "m", "/home/runner/work/repo/eval-suites/thresholds.json", 4), Is.EqualTo("::error file=eval-suites/thresholds.json,line=4::m"));
        Assert.That(github.Annotation("error", "m", "/elsewhere/x.json"), Is.EqualTo("::error file=/elsewhere/x.json::m"));
        Assert.That(github.Annotation("warning", "m"), Is.EqualTo("::warning::m"));
    }

    [Test]
    public void The_job_summary_is_appended_only_on_GitHub_Actions()
    {
        string folder = TestPaths.NewTempFolder();
        string summary = Path.Combine(folder, "step_summary.md");
        File.WriteAllText(summary, "# Earlier step\n");

        Assert.That(With(("GITHUB_STEP_SUMMARY", summary)).AppendToStepSummary("# Report"), Is.False, "not on GitHub Actions");
        Assert.That(With(("GITHUB_ACTIONS", "true"), ("GITHUB_STEP_SUMMARY", summary)).AppendToStepSummary("# Report\n| a |\n"), Is.True);
        Assert.That(File.ReadAllText(summary), Is.EqualTo("# Earlier step\n# Report\n| a |\n\n"));
    }

    [Test]
    public void Gate_failures_become_annotations_on_GitHub_Actions()
    {
        var harness = new TaskHarness();
        harness.Environment["GITHUB_ACTIONS"] = "true";
        harness.Environment["GITHUB_WORKSPACE"] = harness.Folder;
        string summary = harness.Path("summary.json");
        File.WriteAllText(summary, "{}");
        harness.ToolEnvironment["FAKE_RLSC_STDERR"] = $"{harness.Path("eval-suites", "thresholds.json")}(9): error RLSC081: math500 accuracy 0.21 is below the minimum 0.30";
        harness.ToolEnvironment["FAKE_RLSC_EXIT"] = "1";

        Assert.That(harness.Run(new RlscGate { Summary = TaskHarness.Item(summary) }), Is.False);

        Assert.That(harness.Engine.Errors.Single().Code, Is.EqualTo("RLSC081"));
        Assert.That(harness.Engine.Messages.Where(m => m.Importance == MessageImportance.High).Select(m => m.Message),
            Has.One.EqualTo("::error file=eval-suites/thresholds.json,line=9,title=RLSC081::math500 accuracy 0.21 is below the minimum 0.30"));
    }

    [Test]
    public void No_annotations_elsewhere()
    {
        var harness = new TaskHarness();
        string summary = harness.Path("summary.json");
        File.WriteAllText(summary, "{}");
        harness.ToolEnvironment["FAKE_RLSC_STDERR"] = "t.json(9): error RLSC081: below the minimum";
        harness.ToolEnvironment["FAKE_RLSC_EXIT"] = "1";
        Assert.That(harness.Run(new RlscGate { Summary = TaskHarness.Item(summary) }), Is.False);
        Assert.That(harness.Engine.MessageTexts, Has.None.StartsWith("::"));
    }

    [Test]
    public void The_comparison_report_goes_into_the_job_summary()
    {
        var harness = new TaskHarness();
        string jobSummary = harness.Path("step_summary.md");
        harness.Environment["GITHUB_ACTIONS"] = "true";
        harness.Environment["GITHUB_STEP_SUMMARY"] = jobSummary;
        File.WriteAllText(harness.Path("a.json"), "{}");
        File.WriteAllText(harness.Path("b.json"), "{}");
        var task = new RlscCompareReports { Baseline = TaskHarness.Item(harness.Path("a.json")), Candidate = TaskHarness.Item(harness.Path("b.json")), OutputFile = TaskHarness.Item(harness.Path("out", "report.md")) };

        Assert.That(harness.Run(task), Is.True);
        Assert.That(task.ReportFile!.ItemSpec, Is.EqualTo(harness.Path("out", "report.md")));
        Assert.That(File.ReadAllText(jobSummary), Is.EqualTo(File.ReadAllText(harness.Path("out", "report.md")).TrimEnd() + "\n\n"));
    }
}
