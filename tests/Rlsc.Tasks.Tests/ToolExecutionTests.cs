using Microsoft.Build.Framework;
using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>Running the (fake) tool: output becomes errors, warnings and messages; outputs are checked and set.</summary>
public class ToolExecutionTests
{
    static RlscFineTune FineTune(TaskHarness harness)
    {
        string config = harness.Path("run.json");
        File.WriteAllText(config, "{}");
        return new RlscFineTune { Config = TaskHarness.Item(config), OutputDirectory = TaskHarness.Item(harness.Path("run")), Steps = 2 };
    }

    [Test]
    public void A_successful_fine_tune_sets_its_outputs()
    {
        var harness = new TaskHarness();
        var task = FineTune(harness);
        Assert.That(harness.Run(task), Is.True, string.Join("\n", harness.Engine.Errors.Select(e => e.Message)));
        Assert.That(task.Checkpoint!.ItemSpec, Is.EqualTo(harness.Path("run", "checkpoints", "final")));
        Assert.That(task.Checkpoint.GetMetadata("RunDirectory"), Is.EqualTo(harness.Path("run")));
        Assert.That(task.SummaryFile!.ItemSpec, Is.EqualTo(harness.Path("run", "summary.json")));
        Assert.That(task.ToolSource, Is.EqualTo("RlscToolPath"));
        Assert.That(harness.Invocations().Single(), Is.EqualTo(new[] { "finetune", "--config", harness.Path("run.json"), "--output", harness.Path("run"), "--steps", "2" }));
    }

    [Test]
    public void Canonical_errors_and_warnings_become_build_errors_and_warnings_with_file_and_line()
    {
        var harness = new TaskHarness();
        harness.ToolEnvironment["FAKE_RLSC_STDERR"] = "configs/run.json(7,3): error RLSC003: expected a number for \"steps\"\\nrlsc: warning RLSC051: no GPU, training on the CPU";
        harness.ToolEnvironment["FAKE_RLSC_EXIT"] = "1";
        Assert.That(harness.Run(FineTune(harness)), Is.False);

        var error = harness.Engine.Errors.Single();
        Assert.That((error.Code, error.File, error.LineNumber, error.ColumnNumber, error.Message),
            Is.EqualTo(("RLSC003", "configs/run.json", 7, 3, "expected a number for \"steps\"")));
        var warning = harness.Engine.Warnings.Single();
        // rlsc named no file: the warning is placed at the task in the project, as MSBuild's own task warnings are.
        Assert.That((warning.Code, warning.File, warning.LineNumber, warning.Message),
            Is.EqualTo(("RLSC051", harness.Engine.ProjectFileOfTaskNode, 42, "no GPU, training on the CPU")));
    }

    [Test]
    public void Indented_lines_after_an_error_belong_to_it()
    {
        var harness = new TaskHarness();
        harness.ToolEnvironment["FAKE_RLSC_STDERR"] = "run.json: error RLSC001: invalid configuration (2 problems):\n  - training.steps = -3 must be at least 1\n  - sampling.temperature = -1 must be positive\nrlsc: warning RLSC089: pending thresholds";
        harness.ToolEnvironment["FAKE_RLSC_EXIT"] = "1";
        Assert.That(harness.Run(FineTune(harness)), Is.False);
        var error = harness.Engine.Errors.Single();
        Assert.That(error.Message, Is.EqualTo(string.Join(Environment.NewLine,
            "invalid configuration (2 problems):", "  - training.steps = -3 must be at least 1", "  - sampling.temperature = -1 must be positive")));
        Assert.That(harness.Engine.Warnings.Single().Message, Is.EqualTo("pending thresholds"));
        Assert.That(harness.Engine.MessageTexts, Has.None.StartsWith("  - training.steps"), "continuation lines are not logged twice");
    }

    [Test]
    public void An_error_at_the_very_end_of_the_output_is_still_logged()
    {
        var harness = new TaskHarness();
        harness.ToolEnvironment["FAKE_RLSC_STDERR"] = "rlsc: error RLSC002: no such model";
        harness.ToolEnvironment["FAKE_RLSC_EXIT"] = "1";
        Assert.That(harness.Run(FineTune(harness)), Is.False);
        Assert.That(harness.Engine.ErrorCodes, Is.EqualTo(new[] { "RLSC002" }), "and no RLSC093 'failed without an error'");
    }

    [Test]
    public void Progress_lines_are_low_importance_and_other_lines_normal()
    {
        var harness = new TaskHarness();
        harness.ToolEnvironment["FAKE_RLSC_STDOUT"] = "step 1/2 loss=0.5\\nloading {model} from models/tiny";
        Assert.That(harness.Run(FineTune(harness)), Is.True);
        var messages = harness.Engine.Messages;
        Assert.That(messages.Single(m => m.Message == "step 1/2 loss=0.5").Importance, Is.EqualTo(MessageImportance.Low));
        Assert.That(messages.Single(m => m.Message == "loading {model} from models/tiny").Importance, Is.EqualTo(MessageImportance.Normal));
    }

    [Test]
    public void ProgressImportance_high_shows_progress_at_every_verbosity()
    {
        var harness = new TaskHarness();
        harness.ToolEnvironment["FAKE_RLSC_STDOUT"] = "step 1/2 loss=0.5";
        var task = FineTune(harness);
        task.ProgressImportance = "high";
        Assert.That(harness.Run(task), Is.True);
        Assert.That(harness.Engine.Messages.Single(m => m.Message == "step 1/2 loss=0.5").Importance, Is.EqualTo(MessageImportance.High));
    }

    [Test]
    public void A_failure_without_an_error_line_gets_the_tasks_own_code()
    {
        var harness = new TaskHarness();
        harness.ToolEnvironment["FAKE_RLSC_STDERR"] = "Unhandled exception. System.Exception: boom";
        harness.ToolEnvironment["FAKE_RLSC_EXIT"] = "134";
        Assert.That(harness.Run(FineTune(harness)), Is.False);
        var error = harness.Engine.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("RLSC093"));
        Assert.That(error.Message, Does.Contain("exited with code 134"));
    }

    [Test]
    public void Success_without_the_promised_files_is_an_error()
    {
        var harness = new TaskHarness();
        harness.ToolEnvironment["FAKE_RLSC_NO_OUTPUTS"] = "1";
        var task = FineTune(harness);
        Assert.That(harness.Run(task), Is.False);
        Assert.That(harness.Engine.ErrorCodes, Is.EqualTo(new[] { "RLSC094" }));
        Assert.That(harness.Engine.Errors[0].Message, Does.Contain("checkpoints/final/"));
        Assert.That(task.Checkpoint, Is.Null);
    }

    [Test]
    public void Evaluate_sets_summary_problems_and_report()
    {
        var harness = new TaskHarness();
        var task = new RlscEvaluate { Model = "models/tiny", Suites = new[] { "math500" }, OutputDirectory = TaskHarness.Item(harness.Path("eval")) };
        Assert.That(harness.Run(task), Is.True);
        Assert.That(new[] { task.SummaryFile!.ItemSpec, task.ProblemsFile!.ItemSpec, task.ReportFile!.ItemSpec },
            Is.EqualTo(new[] { harness.Path("eval", "summary.json"), harness.Path("eval", "problems.jsonl"), harness.Path("eval", "report.md") }));
    }

    [Test]
    public void The_gate_table_is_shown_at_high_importance()
    {
        var harness = new TaskHarness();
        string summary = harness.Path("summary.json");
        File.WriteAllText(summary, "{}");
        harness.ToolEnvironment["FAKE_RLSC_STDOUT"] = "| suite | accuracy | verdict |\\n| math500 | 0.31 | pass |";
        Assert.That(harness.Run(new RlscGate { Summary = TaskHarness.Item(summary) }), Is.True);
        Assert.That(harness.Engine.Messages.Single(m => m.Message == "| math500 | 0.31 | pass |").Importance, Is.EqualTo(MessageImportance.High));
    }
}
