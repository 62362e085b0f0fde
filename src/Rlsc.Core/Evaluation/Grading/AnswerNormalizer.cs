using System.Text;
using System.Text.RegularExpressions;
using Rlsc.Core.Evaluation.Answers;

namespace Rlsc.Core.Evaluation.Grading;

/// <summary>An answer after normalisation, with what was stripped from it that still matters for comparison.</summary>
/// <param name="Text">Canonical LaTeX: single spaces, no $, no \left/\right, \frac with braced arguments.</param>
/// <param name="Percent">A % sign was removed: the value may also be read as Text/100.</param>
/// <param name="Degrees">A degree mark (^\circ, "degrees") was removed: the value may also be read in radians.</param>
public sealed record NormalizedAnswer(string Text, bool Percent, bool Degrees);

/// <summary>
/// Rewrites a LaTeX answer into a canonical form before it is parsed. Each rule is one small step below,
/// applied in order; docs/evaluation.md lists them with examples. Linear in the input's length.
/// </summary>
public static partial class AnswerNormalizer
{
    static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    public static NormalizedAnswer Normalize(string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer)) return new NormalizedAnswer("", false, false);
        bool percent = false, degrees = false;
        string s = ReplaceUnicode(answer);
        s = s.Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');
        s = UnwrapBoxes(s);
        // "\\dfrac", "\\le" outside a matrix: a doubled backslash from an escaped string, not a line break.
        if (!s.Contains("\\begin", StringComparison.Ordinal)) s = DoubledBackslash().Replace(s, "\\");
        // "185\\": a trailing line break is layout.
        while (s.TrimEnd().EndsWith("\\\\", StringComparison.Ordinal)) s = s.TrimEnd()[..^2];
        // "185\\" with one backslash: an escape left over at the end of a string, no command.
        if (s.TrimEnd().EndsWith('\\')) s = s.TrimEnd()[..^1];
        // "1 000", "1 000 4/9": digit groups of three after a space are one number, as Math-Verify reads them.
        s = SpacedThousands().Replace(s, m => m.Value.Replace(" ", ""));
        // "14{,}916", "14 {, }916": a braced comma between digit groups is a thousands separator.
        s = BracedThousands().Replace(s, "$1,");
        // Currency and math delimiters: "\$18.90", "$\frac{1}{2}$", OlympiadBench's "69$,$84".
        s = s.Replace("\\$", "").Replace("$", "");
        s = s.Replace("\\(", " ").Replace("\\)", " ").Replace("\\[", " ").Replace("\\]", " ");
        // Thousands written with a thin space or \! ("10,\!080", "11,\! 111", "1\,000").
        s = ThinThousands().Replace(s, ",");
        s = ThinSpaceThousands().Replace(s, "$1$2");
        s = s.Replace("\\!", "");
        s = SpacingCommands().Replace(s, " ");
        s = Sizing().Replace(s, "");
        s = s.Replace("\\displaystyle", " ").Replace("\\limits", "");
        s = FracVariants().Replace(s, "\\frac");
        s = BinomVariants().Replace(s, "\\binom");
        s = Relations(s);
        s = s.Replace("^{\\prime}", "'").Replace("^\\prime", "'").Replace("\\prime", "'");
        s = s.Replace("\\varnothing", "\\emptyset");
        s = RepeatingDecimals(s);

        // Degrees: 90^\circ, 90^{\circ}, 90°, \degree.
        string withoutDegrees = DegreeMarks().Replace(s, "");
        if (withoutDegrees.Length != s.Length) { degrees = true; s = withoutDegrees; }
        // Percent: 62.5\%, 62.5%.
        if (s.Contains('%')) { percent = true; s = s.Replace("\\%", "").Replace("%", ""); }

        s = TextGroups(s, ref percent, ref degrees);
        s = s.Replace("np.", "").Replace("math.", "");
        s = s.Replace("<=", "\\leq ").Replace(">=", "\\geq ").Replace("!=", "\\neq ");
        s = WordSeparators().Replace(s, ", ");
        s = Regex.Replace(s, @"\s+", " ", RegexOptions.None, RegexTimeout).Trim();
        s = StripTrailingUnitWords(s, ref percent, ref degrees);
        // A sentence's full stop goes, an ellipsis stays: "1, 2, 3, ..." is not the three numbers "1, 2, 3".
        s = s.EndsWith("...", StringComparison.Ordinal) ? s.TrimEnd(' ') : s.TrimEnd('.', ',', ';', ' ');
        s = s.TrimStart(',', ';', ' ');
        s = Approximations(s);
        s = MembershipPrefix().Replace(s, "");
        if (WholeThousands().IsMatch(s)) s = s.Replace(",", "");
        s = BraceBareArguments(s);
        return new NormalizedAnswer(s.Trim(), percent, degrees);
    }

    /// <summary>
    /// "x \in \boxed{[0,7)}" → "x \in [0,7)": a gold or a bare answer written with its box keeps only the content
    /// (the box is presentation). An unclosed box is left as it is, and then equals only the same text.
    /// </summary>
    static string UnwrapBoxes(string s)
    {
        if (!s.Contains("\\boxed", StringComparison.Ordinal) && !s.Contains("\\fbox", StringComparison.Ordinal)) return s;
        var b = new StringBuilder(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            string? command = LatexGroups.CommandAt(s, i, "\\boxed") ? "\\boxed" : LatexGroups.CommandAt(s, i, "\\fbox") ? "\\fbox" : null;
            if (command is not null && LatexGroups.BracedArgument(s, i + command.Length) is { } arg)
            {
                b.Append(' ').Append(arg.Content).Append(' ');
                i = arg.End;
                continue;
            }
            b.Append(s[i]);
            i++;
        }
        return b.ToString();
    }

    /// <summary>"0.\overline{3}" → "\frac{1}{3}", "1.2\overline{45}" → "\frac{1233}{990}": repeating decimals as exact fractions.</summary>
    static string RepeatingDecimals(string s)
    {
        if (!s.Contains("\\overline", StringComparison.Ordinal)) return s;
        return RepeatingDecimal().Replace(s, m =>
        {
            string whole = m.Groups[1].Value, fixedDigits = m.Groups[2].Value, repeating = m.Groups[3].Value;
            if (whole.Length + fixedDigits.Length + repeating.Length > 60) return m.Value;
            var all = System.Numerics.BigInteger.Parse("0" + whole + fixedDigits + repeating, System.Globalization.CultureInfo.InvariantCulture);
            var head = System.Numerics.BigInteger.Parse("0" + whole + fixedDigits, System.Globalization.CultureInfo.InvariantCulture);
            var denominator = System.Numerics.BigInteger.Pow(10, fixedDigits.Length) * (System.Numerics.BigInteger.Pow(10, repeating.Length) - 1);
            return $"\\frac{{{all - head}}}{{{denominator}}}";
        });
    }

    static string ReplaceUnicode(string s)
    {
        if (s.All(c => c < 128)) return s;
        var b = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            b.Append(c switch
            {
                '\u2212' or '\u2013' or '\u2014' => "-",
                '\u00d7' => "\\times ",
                '\u00b7' or '\u22c5' => "\\cdot ",
                '\u00f7' => "\\div ",
                '\u03c0' => "\\pi ",
                '\u221a' => "\\sqrt",
                '\u221e' => "\\infty ",
                '\u2264' => "\\leq ",
                '\u2265' => "\\geq ",
                '\u2260' => "\\neq ",
                '\u00b0' => "^\\circ",
                '\u222a' => "\\cup ",
                '\u2208' => "\\in ",
                '\u00a0' or '\u2009' or '\u202f' => " ",
                _ => c.ToString(),
            });
        }
        return b.ToString();
    }

    /// <summary>
    /// "\\frac{\\sqrt{3}}{3} \\approx 0.577" → "\\frac{\\sqrt{3}}{3}": the exact value before an approximation is the
    /// answer; "x \\approx 11" → "11" when only a name stands before it (the approximation is then the answer).
    /// </summary>
    static string Approximations(string s)
    {
        if (!s.Contains("\\approx", StringComparison.Ordinal)) return s;
        var parts = TopLevel.Split(s, ["\\approx"], GradingBudget.Unlimited()).Parts;
        if (parts.Count < 2 || parts.Any(p => p.Length == 0)) return s;
        string before = parts[0];
        int equals = before.LastIndexOf('=');
        string lastValue = equals >= 0 ? before[(equals + 1)..].Trim() : before;
        return AnswerStructure.IsSimpleName(lastValue) ? (equals >= 0 ? before[..(equals + 1)] + " " : "") + parts[1] : before;
    }

    static string Relations(string s)
    {
        s = s.Replace("\\geqslant", "\\geq").Replace("\\leqslant", "\\leq");
        s = GeLe().Replace(s, m => m.Groups[1].Value switch { "ge" => "\\geq", "le" => "\\leq", "ne" => "\\neq", "lt" => "<", "gt" => ">", _ => m.Value });
        return s;
    }

    /// <summary>
    /// \text{...}, \mbox{...}, \mathrm{...}: "and"/"or" become separators; units after a number are dropped (with a
    /// following ^2); anything else is unwrapped, so "\text{Evelyn}" is "Evelyn" and "\text{(B)}" is "(B)".
    /// </summary>
    static string TextGroups(string s, ref bool percent, ref bool degrees)
    {
        if (!s.Contains('\\')) return s;
        bool hasNumber = s.Any(char.IsAsciiDigit);
        var b = new StringBuilder(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            if (s[i] == '\\' && TextCommand(s, i) is { } command && LatexGroups.BracedArgument(s, i + command.Length) is { } arg)
            {
                string content = arg.Content.Replace("\\ ", " ").Trim();
                string lower = content.ToLowerInvariant();
                bool inSubscript = PrecededBySubscript(b);
                int end = arg.End;
                if (!inSubscript && lower is "and" or "or" or "," or "and/or") b.Append(", ");
                else if (!inSubscript && (UnitWords.IsPercentWord(lower) || lower == "\\%")) percent = true;
                else if (!inSubscript && hasNumber && (UnitWords.IsUnitPhrase(content) || IsBareWord(content)))
                {
                    if (content.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(UnitWords.IsDegreeWord)) degrees = true;
                    end = SkipPower(s, end);
                    b.Append(' ');
                }
                else b.Append(content);
                i = end;
                continue;
            }
            b.Append(s[i]);
            i++;
        }
        return b.ToString();
    }

    static string? TextCommand(string s, int i)
    {
        foreach (string c in (string[])["\\textbf", "\\textit", "\\textrm", "\\textnormal", "\\textsf", "\\texttt", "\\text", "\\mbox", "\\mathrm", "\\textup", "\\mathbf", "\\emph"])
            if (LatexGroups.CommandAt(s, i, c)) return c;
        return null;
    }

    static bool PrecededBySubscript(StringBuilder b)
    {
        int j = b.Length - 1;
        while (j >= 0 && b[j] == ' ') j--;
        if (j >= 0 && b[j] == '{') { j--; while (j >= 0 && b[j] == ' ') j--; }
        return j >= 0 && b[j] == '_';
    }

    /// <summary>A single word of letters (possibly with a leading "~"), as in "5 \text{ apples}": a unit of count.</summary>
    static bool IsBareWord(string content)
    {
        string w = content.Trim('~', ' ');
        return w.Length >= 2 && w.All(char.IsAsciiLetter);
    }

    /// <summary>After a dropped unit, also drops its power: "\mbox{ cm}^2", "\text{m}^{3}".</summary>
    static int SkipPower(string s, int i)
    {
        int j = i;
        while (j < s.Length && s[j] == ' ') j++;
        if (j >= s.Length || s[j] != '^') return i;
        j++;
        if (j < s.Length && char.IsAsciiDigit(s[j])) return j + 1;
        if (j < s.Length && s[j] == '{')
        {
            int close = LatexGroups.MatchingBrace(s, j);
            if (close > 0 && s.AsSpan(j + 1, close - j - 1).Trim().ToString().All(c => char.IsAsciiDigit(c) || c == '-')) return close + 1;
        }
        return i;
    }

    /// <summary>"15 cm^2", "8 min", "5 square feet": unit words at the end after a number are dropped.</summary>
    static string StripTrailingUnitWords(string s, ref bool percent, ref bool degrees)
    {
        for (int guard = 0; guard < 4; guard++)
        {
            var m = TrailingWord().Match(s);
            if (!m.Success) break;
            string word = m.Groups["word"].Value;
            string before = s[..m.Index].TrimEnd();
            if (before.Length == 0 || !char.IsAsciiDigit(before[^1]) && before[^1] != '}' && !UnitWords.Words.Contains(LastWord(before))) break;
            if (!UnitWords.Words.Contains(word) || !before.Any(char.IsAsciiDigit)) break;
            if (UnitWords.IsDegreeWord(word)) degrees = true;
            if (UnitWords.IsPercentWord(word)) percent = true;
            s = before;
        }
        return s;
    }

    static string LastWord(string s)
    {
        int j = s.Length;
        while (j > 0 && char.IsAsciiLetter(s[j - 1])) j--;
        return s[j..];
    }

    /// <summary>"\frac34" → "\frac{3}{4}", "\frac9{19}", "\frac{270}7", "\sqrt2" → "\sqrt{2}": one-character arguments get braces.</summary>
    static string BraceBareArguments(string s)
    {
        if (!s.Contains("\\frac") && !s.Contains("\\sqrt") && !s.Contains("\\binom")) return s;
        var b = new StringBuilder(s.Length + 8);
        int i = 0;
        while (i < s.Length)
        {
            int arguments = LatexGroups.CommandAt(s, i, "\\frac") || LatexGroups.CommandAt(s, i, "\\binom") ? 2
                : LatexGroups.CommandAt(s, i, "\\sqrt") ? 1 : 0;
            if (arguments == 0) { b.Append(s[i]); i++; continue; }
            int commandLength = s[i + 1] == 's' ? 5 : s[i + 1] == 'f' ? 5 : 6;
            b.Append(s, i, commandLength);
            i += commandLength;
            if (arguments == 1 && i < s.Length && s[i] == '[')
            {
                int close = s.IndexOf(']', i);
                if (close < 0) continue;
                b.Append(s, i, close - i + 1);
                i = close + 1;
            }
            for (int a = 0; a < arguments; a++)
            {
                int j = i;
                while (j < s.Length && s[j] == ' ') j++;
                if (j >= s.Length) break;
                if (s[j] == '{')
                {
                    int close = LatexGroups.MatchingBrace(s, j);
                    if (close < 0) break;
                    b.Append(s, j, close - j + 1);
                    i = close + 1;
                }
                else if (char.IsAsciiLetterOrDigit(s[j]))
                {
                    b.Append('{').Append(s[j]).Append('}');
                    i = j + 1;
                }
                else if (s[j] == '\\' && j + 1 < s.Length && char.IsAsciiLetter(s[j + 1]))
                {
                    int k = j + 1;
                    while (k < s.Length && char.IsAsciiLetter(s[k])) k++;
                    b.Append('{').Append(s, j, k - j).Append('}');
                    i = k;
                }
                else break;
            }
        }
        return b.ToString();
    }

    [GeneratedRegex(@"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d./])", RegexOptions.None, 200)]
    private static partial Regex SpacedThousands();
    [GeneratedRegex(@"(?<!\\)\\\\(?=[a-zA-Z])", RegexOptions.None, 200)]
    private static partial Regex DoubledBackslash();
    [GeneratedRegex(@"(\d)\s*\{\s*,\s*\}\s*(?=\d{3}(?!\d))", RegexOptions.None, 200)]
    private static partial Regex BracedThousands();
    [GeneratedRegex(@"(\d*)\.(\d*)\\overline\s*\{\s*(\d+)\s*\}", RegexOptions.None, 200)]
    private static partial Regex RepeatingDecimal();
    [GeneratedRegex(@"(?<=\S)\s+(?:and|or)\s+(?=\S)", RegexOptions.None, 200)]
    private static partial Regex WordSeparators();
    [GeneratedRegex(@",\s*\\!\s*(?=\d{3})", RegexOptions.None, 200)]
    private static partial Regex ThinThousands();
    [GeneratedRegex(@"(\d)\\,(\d{3})(?!\d)", RegexOptions.None, 200)]
    private static partial Regex ThinSpaceThousands();
    [GeneratedRegex(@"(?<!\\)\\(?:,|;|:|\s|quad(?![a-zA-Z])|qquad(?![a-zA-Z]))|~", RegexOptions.None, 200)]
    private static partial Regex SpacingCommands();
    [GeneratedRegex(@"\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|bigg|Bigg|big|Big)(?![a-zA-Z])\s*\.?", RegexOptions.None, 200)]
    private static partial Regex Sizing();
    [GeneratedRegex(@"\\[dtc]frac(?![a-zA-Z])", RegexOptions.None, 200)]
    private static partial Regex FracVariants();
    [GeneratedRegex(@"\\[dt]binom(?![a-zA-Z])", RegexOptions.None, 200)]
    private static partial Regex BinomVariants();
    [GeneratedRegex(@"\\(ge|le|ne|lt|gt)(?![a-zA-Z])", RegexOptions.None, 200)]
    private static partial Regex GeLe();
    [GeneratedRegex(@"\^\s*\{\s*\\circ\s*\}|\^\s*\\circ(?![a-zA-Z])|\\circ(?![a-zA-Z])|\\degree(?![a-zA-Z])", RegexOptions.None, 200)]
    private static partial Regex DegreeMarks();
    [GeneratedRegex(@"^[a-zA-Z]\s*\\in(?![a-zA-Z])\s*", RegexOptions.None, 200)]
    private static partial Regex MembershipPrefix();
    [GeneratedRegex(@"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$", RegexOptions.NonBacktracking, 200)]
    private static partial Regex WholeThousands();
    [GeneratedRegex(@"(?<word>[a-zA-Z]+(?:/[a-zA-Z]+)?)(?:\^\{?\d\}?)?\.?$", RegexOptions.RightToLeft, 200)]
    private static partial Regex TrailingWord();
}
