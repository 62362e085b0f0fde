using System.CommandLine;

namespace Rlsc.Cli.Training;

/// <summary>The command line that resumes a run: the one the user typed, with --resume added when missing.</summary>
static class ResumeCommandLine
{
    public static string Of(ParseResult parse)
    {
        var tokens = parse.Tokens.Select(t => t.Value).ToList();
        if (!tokens.Contains("--resume")) tokens.Add("--resume");
        return "rlsc " + string.Join(' ', tokens.Select(Quote));
    }

    static string Quote(string token) =>
        token.Length > 0 && token.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@".Contains(c)) ? token : "'" + token.Replace("'", "'\\''") + "'";
}
