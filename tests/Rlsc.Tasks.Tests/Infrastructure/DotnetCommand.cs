using System.Diagnostics;
using System.Text;

namespace Rlsc.Tasks.Tests.Infrastructure;

/// <summary>Runs a dotnet command (msbuild, pack, restore, cake) as a user would, and captures its output.</summary>
internal static class DotnetCommand
{
    public sealed record Result(int ExitCode, string Output)
    {
        public string[] Lines => Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        public override string ToString() => $"exit code {ExitCode}\n{Output}";
    }

    public static Result Run(string workingDirectory, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        // Never let the machine's CI environment leak into a test's expectations.
        start.Environment["GITHUB_ACTIONS"] = null;
        start.Environment["GITHUB_STEP_SUMMARY"] = null;
        start.Environment["RLSC_RUN_ID"] = null;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDNOINPROCNODE"] = null;
        if (environment is not null)
            foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', arguments)} did not finish in time:\n{output}");
        }
        process.WaitForExit();
        lock (output) return new Result(process.ExitCode, output.ToString());
    }

    /// <summary><c>dotnet msbuild</c> on one project, minimal verbosity, no node reuse (a reused node would keep the task assembly loaded).</summary>
    public static Result MSBuild(string project, string target, IDictionary<string, string?>? environment = null, params string[] properties)
    {
        var arguments = new List<string> { "msbuild", project, "-t:" + target, "-nologo", "-v:m", "-nodeReuse:false", "-tl:off" };
        arguments.AddRange(properties.Select(p => "-p:" + p));
        return Run(Path.GetDirectoryName(project)!, arguments, environment);
    }
}
