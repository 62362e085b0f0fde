using System.Globalization;
using System.Text;

namespace Rlsc.Tasks.CommandLine;

/// <summary>
/// Builds an rlsc command line: a subcommand followed by <c>--switch value</c> pairs. Values are quoted
/// the way .NET splits a command line into argv (on every OS): inside double quotes, a run of backslashes
/// followed by a quote is doubled and the quote escaped. Switches with no value to pass are left out, so
/// that rlsc applies its own documented default.
/// </summary>
internal sealed class RlscArguments
{
    readonly List<string> _arguments = new();

    /// <summary>The arguments, unquoted, in order (what the tool receives as argv).</summary>
    public IReadOnlyList<string> Items => _arguments;

    /// <summary>Appends literal words: a subcommand (<c>finetune</c>, <c>report compare</c>).</summary>
    public RlscArguments Add(params string[] words)
    {
        _arguments.AddRange(words);
        return this;
    }

    /// <summary><c>--name value</c> when value is neither null nor empty.</summary>
    public RlscArguments Switch(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) _arguments.AddRange(new[] { name, value! });
        return this;
    }

    /// <summary><c>--name N</c> when the value was given.</summary>
    public RlscArguments Switch(string name, int? value) =>
        Switch(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>--name X</c> when the value was given, in the invariant culture ("0.7", never "0,7").</summary>
    public RlscArguments Switch(string name, double? value) =>
        Switch(name, value?.ToString("R", CultureInfo.InvariantCulture));

    /// <summary><c>--name</c> alone when the flag is set.</summary>
    public RlscArguments Flag(string name, bool set)
    {
        if (set) _arguments.Add(name);
        return this;
    }

    /// <summary>The command line as one string, each argument quoted when it needs to be.</summary>
    public override string ToString() => string.Join(" ", _arguments.Select(Quote));

    /// <summary>Quotes one argument so that .NET's argv splitting gives it back unchanged.</summary>
    public static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.All(c => !char.IsWhiteSpace(c) && c != '"')) return argument;
        var quoted = new StringBuilder("\"");
        int backslashes = 0;
        foreach (char c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }
            // Backslashes are literal unless a quote follows them: then they are doubled, and the quote escaped.
            quoted.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes);
            backslashes = 0;
            quoted.Append(c);
        }
        // Before the closing quote, backslashes are doubled so that they do not escape it.
        quoted.Append('\\', backslashes * 2).Append('"');
        return quoted.ToString();
    }
}
