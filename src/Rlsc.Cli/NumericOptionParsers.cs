using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Rlsc.Cli;

/// <summary>
/// Gives every numeric option of the command tree a parser whose error is a plain sentence
/// (`--steps: 'two' is not a whole number.`): System.CommandLine's own names the .NET type
/// (".NET type Nullable`1[System.Int32]"), which a user cannot act on. Installed once over the whole tree, so a new
/// option gets it without remembering to.
/// </summary>
static class NumericOptionParsers
{
    delegate bool TryParse<T>(string text, out T value);

    /// <summary>Installs the parsers on <paramref name="command"/>'s numeric options and those of its subcommands.</summary>
    public static void Install(Command command)
    {
        foreach (var option in command.Options) Install(option);
        foreach (var sub in command.Subcommands) Install(sub);
    }

    static void Install(Option option)
    {
        switch (option)
        {
            case Option<int> o: o.CustomParser = Parser(o, (string t, out int v) => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out v), "a whole number"); break;
            case Option<int?> o: o.CustomParser = Parser(o, Nullable<int>(WholeInt), "a whole number"); break;
            case Option<long> o: o.CustomParser = Parser(o, (string t, out long v) => long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out v), "a whole number"); break;
            case Option<long?> o: o.CustomParser = Parser(o, Nullable<long>((string t, out long v) => long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out v)), "a whole number"); break;
            case Option<double> o: o.CustomParser = Parser(o, FiniteDouble, "a finite number (like 0.5 or 1e-5)"); break;
            case Option<double?> o: o.CustomParser = Parser(o, Nullable<double>(FiniteDouble), "a finite number (like 0.5 or 1e-5)"); break;
            case Option<float> o: o.CustomParser = Parser(o, (string t, out float v) => float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && float.IsFinite(v), "a finite number (like 0.5 or 1e-5)"); break;
        }
    }

    static bool WholeInt(string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    // NaN and Infinity parse as doubles but no option means anything by them.
    static bool FiniteDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    static TryParse<T?> Nullable<T>(TryParse<T> inner) where T : struct =>
        (string text, out T? value) =>
        {
            bool ok = inner(text, out T v);
            value = ok ? v : null;
            return ok;
        };

    static Func<ArgumentResult, T> Parser<T>(Option<T> option, TryParse<T> parse, string expected) => result =>
    {
        // No token: the option was not given (or given without a value, which arity reports); keep its default.
        if (result.Tokens.Count == 0)
            return option.DefaultValueFactory is { } fallback ? fallback(result) : default!;
        string text = result.Tokens[^1].Value;
        if (parse(text, out T value)) return value;
        result.AddError($"{option.Name}: '{text}' is not {expected}.");
        return default!;
    };
}
