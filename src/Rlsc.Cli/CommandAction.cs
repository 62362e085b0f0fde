using System.CommandLine;
using System.CommandLine.Parsing;
using Rlsc.Core;

namespace Rlsc.Cli;

/// <summary>
/// Runs a command's body and maps errors to exit codes: an <see cref="RlscException"/> prints one
/// canonical line (`file(line): error RLSC003: message`) on stderr, never a stack trace. Any other exception is the
/// guard's (<see cref="UnexpectedErrorReport"/>): one RLSC900 line naming the command, the file and the trace's log.
/// </summary>
public static class CommandAction
{
    /// <summary>Exit code of a run stopped by Ctrl+C or SIGTERM (128 + SIGINT, the shell's convention).</summary>
    public const int Interrupted = 130;

    public static void Set(Command command, Func<ParseResult, int> body) =>
        command.SetAction(parseResult => Run(CommandLine(parseResult), () => body(parseResult)));

    public static void Set(Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((parseResult, cancellation) => RunAsync(CommandLine(parseResult), () => body(parseResult, cancellation)));

    /// <param name="command">The command as typed, e.g. "rlsc report merge", for the message of an unexpected error.</param>
    public static int Run(string command, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (RlscException e)
        {
            return Report(e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Report(UnexpectedErrorReport.Describe(command, e));
        }
    }

    public static async Task<int> RunAsync(string command, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (RlscException e)
        {
            return Report(e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Cancellation is left to System.CommandLine, which answers Ctrl+C with exit code 130.
            return Report(UnexpectedErrorReport.Describe(command, e));
        }
    }

    /// <summary>"rlsc report merge": the names of the invoked command and its parents.</summary>
    static string CommandLine(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is not null; r = r.Parent)
            if (r is CommandResult c) names.Add(c.Command.Name);
        names.Reverse();
        if (names.Count > 0) names[0] = "rlsc";
        return string.Join(' ', names);
    }

    static int Report(RlscException e)
    {
        Console.Error.WriteLine(e.ToCanonicalString());
        return e.Code == ErrorCodes.Interrupted ? Interrupted : 1;
    }
}
