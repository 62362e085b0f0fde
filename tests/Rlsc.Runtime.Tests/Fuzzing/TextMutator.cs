using System.Text;
using System.Text.RegularExpressions;

namespace Rlsc.Runtime.Tests.Fuzzing;

/// <summary>
/// Random mutations of a valid JSON or JSON-lines file, aimed at what breaks parsers: numbers replaced by extremes
/// (NaN, 1e309, -1, 2^63), values by other types, lines (members of pretty-printed JSON, records of JSONL)
/// duplicated, dropped or swapped, bytes flipped, ranges cut, deep nesting, truncation.
/// </summary>
internal static partial class TextMutator
{
    static readonly string[] Values =
    [
        "null", "NaN", "Infinity", "-Infinity", "1e309", "-1e309", "1e-400", "-1", "0", "-0", "0.5", "1", "2", "1.0000001",
        "9223372036854775808", "-9223372036854775809", "2147483648", "4294967296", "1e18", "\"\"", "\"x\"", "\"NaN\"",
        "\"../../../etc/passwd\"", "\"/etc/hostname\"", "\"\\u0000\"", UnpairedSurrogate, "[]", "{}", "[1]", "[-1]", "{\"a\":1}",
        "true", "false", "\"" + new string('z', 5000) + "\"", new string('[', 3000), "[[[[[[[[[[0]]]]]]]]]]",
    ];

    static readonly string[] Fragments = ["{", "}", "[", "]", ",", ":", "\"", "\\", "//", "/*", "\n", "\0", "\u00e9", "\uFEFF", " ", "\"a\": 1,"];

    /// <summary>The escaped unpaired surrogate, which System.Text.Json only refuses when the string is read.</summary>
    public const string UnpairedSurrogate = "\"\\ud800\"";

    /// <summary>One to three mutations of <paramref name="text"/>.</summary>
    public static string Mutate(string text, Random random)
    {
        int count = 1 + random.Next(3);
        for (int i = 0; i < count; i++) text = MutateOnce(text, random);
        return text;
    }

    static string MutateOnce(string text, Random r)
    {
        if (text.Length == 0) return Values[r.Next(Values.Length)];
        switch (r.Next(11))
        {
            case 0: return ReplaceMatch(text, Number(), r, Values[r.Next(Values.Length)]);
            case 1: return ReplaceMatch(text, StringValue(), r, Values[r.Next(Values.Length)]);
            case 2: return ReplaceMatch(text, Number(), r, NearNumber(r));
            case 3: return LineEdit(text, r);
            case 4: return LineEdit(text, r);
            case 5:
            {
                int at = r.Next(text.Length), length = Math.Min(text.Length - at, 1 + r.Next(16));
                return text.Remove(at, length);
            }
            case 6: return text.Insert(r.Next(text.Length + 1), Fragments[r.Next(Fragments.Length)]);
            case 7: return text[..r.Next(text.Length)];
            case 8:
            {
                int at = r.Next(text.Length), length = Math.Min(text.Length - at, 1 + r.Next(40));
                return text.Insert(r.Next(text.Length + 1), text.Substring(at, length));
            }
            case 9:
            {
                var chars = text.ToCharArray();
                int at = r.Next(chars.Length);
                chars[at] = (char)(chars[at] ^ (1 << r.Next(7)));
                return new string(chars);
            }
            default: return text.Insert(r.Next(text.Length + 1), Values[r.Next(Values.Length)]);
        }
    }

    // A number nudged, not replaced: the mutations a typo or a tool's rounding makes.
    static string NearNumber(Random r) => r.Next(4) switch
    {
        0 => (r.NextDouble() * 2 - 0.5).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        1 => r.Next(-10, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => "1e" + r.Next(-320, 320).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "0." + new string('9', 1 + r.Next(30)),
    };

    static string ReplaceMatch(string text, Regex pattern, Random r, string replacement)
    {
        var matches = pattern.Matches(text);
        if (matches.Count == 0) return text.Insert(r.Next(text.Length + 1), replacement);
        var m = matches[r.Next(matches.Count)];
        return text[..m.Index] + replacement + text[(m.Index + m.Length)..];
    }

    // Duplicates, drops or swaps whole lines: duplicate members and records, missing ones, reordered ones.
    static string LineEdit(string text, Random r)
    {
        var lines = text.Split('\n').ToList();
        int a = r.Next(lines.Count), b = r.Next(lines.Count);
        switch (r.Next(3))
        {
            case 0: lines.Insert(b, lines[a]); break;
            case 1: if (lines.Count > 1) lines.RemoveAt(a); break;
            default: (lines[a], lines[b]) = (lines[b], lines[a]); break;
        }
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"-?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringValue();

    /// <summary>A short printable form of an input for a failure message.</summary>
    public static string Show(string text) => text.Length <= 1500 ? text : text[..1500] + $"... ({text.Length} chars)";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
