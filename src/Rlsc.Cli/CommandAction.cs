using System.CommandLine;
using Rlsc.Core;

namespace Rlsc.Cli;

/// <summary>
/// Runs a command's body and maps errors to exit codes: an <see cref="RlscException"/> prints one
/// canonical line (`file(line): error RLSC003: message`) on stderr, never a stack trace.
/// </summary>
public static class CommandAction
{
    /// <summary>Exit code of a run stopped by Ctrl+C or SIGTERM (128 + SIGINT, the shell's convention).</summary>
    public const int Interrupted = 130;

    public static void Set(Command command, Func<ParseResult, int> body) =>
        command.SetAction(parseResult => Run(() => body(parseResult)));

    public static void Set(Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((parseResult, cancellation) => RunAsync(() => body(parseResult, cancellation)));

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (RlscException e)
        {
            return Report(e);
        }
    }

    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (RlscException e)
        {
            return Report(e);
        }
    }

    static int Report(RlscException e)
    {
        Console.Error.WriteLine(e.ToCanonicalString());
        return e.Code == ErrorCodes.Interrupted ? Interrupted : 1;
    }
}
