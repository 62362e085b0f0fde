using Rlsc.Core;
using System.Text;
using System.Text.RegularExpressions;
using Rlsc.Core.IO;

namespace Rlsc.Cli;

/// <summary>
/// Turns an exception that is not an <see cref="RlscException"/> (a bug, or a failure nobody anticipated) into the
/// one line users and the MSBuild tasks understand, `file: error RLSC900: ...`, naming the command and the file
/// involved; the stack trace goes to a log file whose path the line gives, never to the console.
/// </summary>
static partial class UnexpectedErrorReport
{
    /// <summary>Overrides the folder of the trace logs (default: rlsc-logs in the temporary folder).</summary>
    public const string LogFolderVariable = "RLSC_LOG_DIR";

    /// <summary>Writes the trace log and returns the error to print in its place.</summary>
    public static RlscException Describe(string command, Exception e)
    {
        string? file = FileOf(e);
        string? log = WriteLog(command, e, out string? logProblem);
        string where = log is not null
            ? $"the full trace is in {log}"
            : $"the trace could not be written ({logProblem}), set {LogFolderVariable} to a writable folder to keep it";
        string what = FirstLine(e.Message);
        string message = $"'{command}' stopped on an unexpected {e.GetType().Name}: {what} This is a bug in rlsc unless the " +
                         $"message says otherwise; {where}. Please report it with that file.";
        return new RlscException(ErrorCodes.Unexpected, message, file);
    }

    public static string LogFolder() =>
        Environment.GetEnvironmentVariable(LogFolderVariable) is { Length: > 0 } folder ? folder : Path.Combine(Path.GetTempPath(), "rlsc-logs");

    static string? WriteLog(string command, Exception e, out string? problem)
    {
        problem = null;
        try
        {
            string name = $"rlsc-{Regex.Replace(command, "[^A-Za-z0-9]+", "-").Trim('-')}-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}.log";
            string path = Path.GetFullPath(Path.Combine(LogFolder(), name));
            var text = new StringBuilder()
                .AppendLine($"time:    {DateTimeOffset.UtcNow:O}")
                .AppendLine($"rlsc:    {typeof(UnexpectedErrorReport).Assembly.GetName().Version}")
                .AppendLine($"command: {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}")
                .AppendLine($"cwd:     {Environment.CurrentDirectory}")
                .AppendLine()
                .AppendLine(e.ToString());
            AtomicFile.WriteAllText(path, text.ToString());
            return path;
        }
        catch (Exception logError) when (logError is IOException or UnauthorizedAccessException or RlscException)
        {
            problem = FirstLine(logError.Message);
            return null;
        }
    }

    /// <summary>
    /// The file an exception concerns: the one it names (FileNotFoundException), else the first quoted absolute path in
    /// its message or an inner exception's ("Access to the path '/x' is denied."), else none.
    /// </summary>
    static string? FileOf(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is FileNotFoundException { FileName: { Length: > 0 } name }) return name;
            var quoted = QuotedPath().Match(x.Message);
            if (quoted.Success) return quoted.Groups["path"].Value;
        }
        return null;
    }

    static string FirstLine(string message)
    {
        string line = message.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "(no message)." : line.EndsWith('.') ? line : line + ".";
    }

    [GeneratedRegex(@"'(?<path>(/|[A-Za-z]:\\)[^'\r\n]*)'")]
    private static partial Regex QuotedPath();
}
