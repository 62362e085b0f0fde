using Rlsc.Core;

namespace Rlsc.Cli.Tests.Commands;

/// <summary>
/// The CLI's last guard: an exception that is not an RlscException becomes one RLSC900 line naming the command, the
/// file involved and the log holding the trace; the console never shows a stack trace.
/// </summary>
[NonParallelizable]
public class UnexpectedErrorGuardTests
{
    string logs = "";
    string? previous;

    [SetUp]
    public void PointLogsAtATemporaryFolder()
    {
        logs = CliRunner.TempFolder();
        previous = Environment.GetEnvironmentVariable(UnexpectedErrorReport.LogFolderVariable);
        Environment.SetEnvironmentVariable(UnexpectedErrorReport.LogFolderVariable, logs);
    }

    [TearDown]
    public void Restore()
    {
        Environment.SetEnvironmentVariable(UnexpectedErrorReport.LogFolderVariable, previous);
        Directory.Delete(logs, recursive: true);
    }

    static (int Exit, string Err) RunGuarded(Func<int> body)
    {
        var stderr = Console.Error;
        using var error = new StringWriter();
        Console.SetError(error);
        try
        {
            return (CommandAction.Run("rlsc frobnicate", body), error.ToString());
        }
        finally
        {
            Console.SetError(stderr);
        }
    }

    [Test]
    public void AnUnexpectedExceptionIsOneLineWithCommandFileAndTheLogOfItsTrace()
    {
        var (exit, err) = RunGuarded(() => throw new InvalidOperationException("Access to the path '/data/run/summary.json' is denied.",
            new IOException("inner detail")));
        Assert.That(exit, Is.EqualTo(1));
        string[] lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), err);
        Assert.That(lines[0], Does.StartWith("/data/run/summary.json: error RLSC900: 'rlsc frobnicate' stopped on an unexpected InvalidOperationException"));
        Assert.That(err, Does.Not.Contain("   at "));

        string log = Directory.GetFiles(logs).Single();
        Assert.That(lines[0], Does.Contain(log));
        string trace = File.ReadAllText(log);
        Assert.That(trace, Does.Contain("InvalidOperationException").And.Contain("inner detail").And.Contain("   at "));
    }

    [Test]
    public void WhenTheLogCannotBeWrittenTheLineSaysSoAndStillNoTraceIsPrinted()
    {
        string aFile = Path.Combine(logs, "a-file");
        File.WriteAllText(aFile, "");
        Environment.SetEnvironmentVariable(UnexpectedErrorReport.LogFolderVariable, Path.Combine(aFile, "logs"));
        var (exit, err) = RunGuarded(() => throw new NullReferenceException());
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(err, Does.StartWith("rlsc: error RLSC900: 'rlsc frobnicate' stopped on an unexpected NullReferenceException")
            .And.Contain("the trace could not be written").And.Contain(UnexpectedErrorReport.LogFolderVariable).And.Not.Contain("   at "));
    }

    [Test]
    public void RlscExceptionsAndTheExitCodeOfInterruptionsAreUnchanged()
    {
        var (exit, err) = RunGuarded(() => throw new RlscException(ErrorCodes.Interrupted, "stopped; rerun with --resume."));
        Assert.That(exit, Is.EqualTo(CommandAction.Interrupted));
        Assert.That(err.Trim(), Is.EqualTo("rlsc: error RLSC004: stopped; rerun with --resume."));
    }
}
