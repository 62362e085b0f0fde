using System.Diagnostics;
using System.Runtime.Versioning;
using Rlsc.Tasks.Processes;
using Rlsc.Tasks.Tests.Infrastructure;

namespace Rlsc.Tasks.Tests;

/// <summary>
/// Cancelling the build (Ctrl+C, MSBuild's cancel) sends SIGINT so that rlsc saves and exits 130; only a tool that
/// ignores it is killed after the grace period. Uses the fake rlsc, which behaves like the real one on SIGINT.
/// </summary>
[UnsupportedOSPlatform("windows")] // POSIX signals; on Windows the tree is killed after the grace period
public class CancellationTests
{
    static (RlscFineTune Task, TaskHarness Harness) LongFineTune(Action<TaskHarness>? configure = null)
    {
        var harness = new TaskHarness();
        File.WriteAllText(harness.Path("run.json"), "{}");
        harness.ToolEnvironment["FAKE_RLSC_SLEEP"] = "60";
        configure?.Invoke(harness);
        var task = harness.Prepare(new RlscFineTune { Config = TaskHarness.Item(harness.Path("run.json")), OutputDirectory = TaskHarness.Item(harness.Path("run")) });
        return (task, harness);
    }

    static bool RunAndCancel(RlscToolTask task, TaskHarness harness, out TimeSpan elapsed)
    {
        var execution = System.Threading.Tasks.Task.Run(task.Execute);
        var wait = Stopwatch.StartNew();
        while (!harness.Engine.MessageTexts.Contains("started") && wait.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(20);
        Assert.That(harness.Engine.MessageTexts, Does.Contain("started"), "the fake tool never started");
        var clock = Stopwatch.StartNew();
        task.Cancel();
        Assert.That(execution.Wait(TimeSpan.FromSeconds(30)), Is.True, "the task did not return after Cancel");
        elapsed = clock.Elapsed;
        return execution.Result;
    }

    [Test]
    public void Cancel_interrupts_rlsc_which_saves_and_stops()
    {
        var (task, harness) = LongFineTune();
        bool result = RunAndCancel(task, harness, out var elapsed);

        Assert.That(result, Is.False);
        Assert.That(File.ReadAllLines(harness.ArgumentLog), Does.Contain("signal INT"));
        Assert.That(harness.Engine.MessageTexts, Does.Contain("saving checkpoint before stopping"), "the tool's last lines are still logged");
        Assert.That(harness.Engine.ErrorCodes, Is.EqualTo(new[] { "RLSC004" }), "rlsc's own 'interrupted' error, no kill");
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void Cancel_reaches_rlsc_under_a_launcher()
    {
        // dotnet tool run starts rlsc as a child process; a shell that waits for its child plays that part here.
        var (task, harness) = LongFineTune();
        string launcher = harness.Path("launcher");
        File.WriteAllText(launcher, $"#!/bin/sh\n\"{TestPaths.FakeTool}\" \"$@\"\nexit $?\n");
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        task.RlscToolPath = launcher;

        Assert.That(RunAndCancel(task, harness, out _), Is.False);
        Assert.That(File.ReadAllLines(harness.ArgumentLog), Does.Contain("signal INT"));
        Assert.That(harness.Engine.ErrorCodes, Does.Contain("RLSC004"));
    }

    [Test]
    public void A_tool_that_ignores_the_interrupt_is_killed_after_the_grace_period()
    {
        var (task, harness) = LongFineTune(h => h.ToolEnvironment["FAKE_RLSC_IGNORE_SIGINT"] = "1");
        task.CancelGracePeriodSeconds = 1;
        bool result = RunAndCancel(task, harness, out var elapsed);

        Assert.That(result, Is.False);
        Assert.That(harness.Engine.ErrorCodes, Does.Contain("RLSC095"));
        Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9)).And.LessThan(TimeSpan.FromSeconds(20)));
        Assert.That(File.ReadAllLines(harness.ArgumentLog), Does.Not.Contain("signal INT"));
    }

    [Test]
    public void Stat_fields_are_read_past_a_command_name_with_spaces_and_parentheses()
    {
        string stat = Path.Combine(TestPaths.NewTempFolder(), "stat");
        File.WriteAllText(stat, "4242 (rlsc (x) y) S 4100 4242 4100 0 -1 4194560");
        Assert.That(ProcessTree.ReadStat(stat), Is.EqualTo(new ProcessTree.Stat(4100, 4242, 0, -1)));
        Assert.That(ProcessTree.WithDescendants(Environment.ProcessId)[0], Is.EqualTo(Environment.ProcessId));
    }

    [Test]
    public void A_process_in_the_terminals_foreground_group_is_not_signalled_twice()
    {
        // No terminal here (the test host's output is redirected), so a cancel must send the signal itself.
        Assert.That(ProcessTree.InTerminalForeground(Environment.ProcessId), Is.False);
        string folder = TestPaths.NewTempFolder();
        File.WriteAllText(Path.Combine(folder, "fg"), "77 (rlsc) S 70 77 70 34816 77 0");
        File.WriteAllText(Path.Combine(folder, "bg"), "78 (rlsc) S 70 78 70 34816 80 0");
        Assert.That(ProcessTree.ReadStat(Path.Combine(folder, "fg")) is { Terminal: not 0 } fg && fg.ForegroundGroup == fg.Group, Is.True);
        Assert.That(ProcessTree.ReadStat(Path.Combine(folder, "bg")) is { } bg && bg.ForegroundGroup == bg.Group, Is.False);
    }
}
