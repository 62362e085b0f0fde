using Microsoft.Build.Utilities;

namespace Rlsc.Tasks.Tests.Infrastructure;

/// <summary>
/// Runs a task against the fake rlsc with a recording build engine and a fake environment (so that a test never
/// depends on, say, GITHUB_ACTIONS being set on the machine that runs it).
/// </summary>
internal sealed class TaskHarness
{
    public FakeBuildEngine Engine { get; } = new();
    public string Folder { get; } = TestPaths.NewTempFolder();
    public string ArgumentLog => System.IO.Path.Combine(Folder, "fake-rlsc.log");

    /// <summary>What the task sees as its environment: these values first, then the process's own.</summary>
    public Dictionary<string, string?> Environment { get; } = new() { ["GITHUB_ACTIONS"] = "false" };

    /// <summary>Environment of the fake tool's process (FAKE_RLSC_*).</summary>
    public Dictionary<string, string> ToolEnvironment { get; } = new();

    public T Prepare<T>(T task) where T : RlscToolTask
    {
        task.BuildEngine = Engine;
        task.RlscToolPath ??= TestPaths.FakeTool;
        task.ReadEnvironment = name => Environment.TryGetValue(name, out var v) ? v : System.Environment.GetEnvironmentVariable(name);
        ToolEnvironment["FAKE_RLSC_LOG"] = ArgumentLog;
        task.EnvironmentVariables = ToolEnvironment.Select(kv => $"{kv.Key}={kv.Value}").ToArray();
        return task;
    }

    public bool Run<T>(T task) where T : RlscToolTask => Prepare(task).Execute();

    /// <summary>The argument lists the fake tool received, one per run.</summary>
    public List<List<string>> Invocations()
    {
        var runs = new List<List<string>>();
        if (!File.Exists(ArgumentLog)) return runs;
        var current = new List<string>();
        foreach (string line in File.ReadAllLines(ArgumentLog))
        {
            if (line == "--end--") { runs.Add(current); current = new List<string>(); }
            else if (!line.StartsWith("signal ", StringComparison.Ordinal)) current.Add(line);
        }
        return runs;
    }

    public string Path(params string[] parts) => System.IO.Path.Combine(new[] { Folder }.Concat(parts).ToArray());

    public static TaskItem Item(string path) => new(path);
}
