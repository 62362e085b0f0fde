using System.CommandLine;

namespace Rlsc.Cli.Tests;

/// <summary>
/// Runs `rlsc` in process with stdout and stderr captured: both System.CommandLine's output and the Console, which
/// CommandAction uses to report errors. One run at a time, since the Console is process-wide.
/// </summary>
internal static class CliRunner
{
    static readonly object ConsoleGate = new();

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        lock (ConsoleGate)
        {
            var (stdout, stderr) = (Console.Out, Console.Error);
            using var output = new StringWriter();
            using var error = new StringWriter();
            Console.SetOut(output);
            Console.SetError(error);
            try
            {
                int exit = RlscCommandLine.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
                return (exit, output.ToString(), error.ToString());
            }
            finally
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
            }
        }
    }

    /// <summary>A new empty folder under the system's temporary folder.</summary>
    public static string TempFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "rlsc-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
