using System.Globalization;
using System.Text.RegularExpressions;
using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Expressions;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Runtime.Evaluation;

namespace Rlsc.Runtime.Tests.Evaluation;

/// <summary>
/// Makes wrong answers that look almost like a gold answer, one family at a time: the grader must refuse every one.
/// Each family changes the value on purpose; a mutation that cannot change the value (negating 0, a gold with \pm,
/// an exponent of a base 1, a sign inside \cos, the exponent of a unit that the grader drops by rule) is not
/// generated, so every mutant is a wrong answer. One family depends on the suite's rule: "+1" on a number so large
/// that 1 is within the suite's relative tolerance, in a suite whose integers are rounded measurements (minerva_math:
/// 4.5e33 and 4.5e33 + 1), is the same answer by that suite's stated rule and is not generated either.
/// </summary>
public static partial class NearMissGenerator
{
    public static readonly string[] Families =
        ["leading_digit", "append_plus_one", "append_char", "swap_bracket", "change_exponent", "change_sign", "change_equation_right"];

    /// <summary>The family's mutant of <paramref name="gold"/>, or null when the family does not apply to it.</summary>
    public static string? Mutate(string family, string gold, GradingOptions? options = null)
    {
        string g = gold.Trim();
        options ??= GradingOptions.Default;
        string? mutant = family switch
        {
            "leading_digit" => LeadingDigit(g),
            "append_plus_one" => IsInfinite(g) || OneIsWithinTolerance(g, options) ? null : g + "+1",
            "append_char" => AppendChar(g),
            "swap_bracket" => SwapBracket(g),
            "change_exponent" => ChangeExponent(g),
            "change_sign" => ChangeSign(g),
            "change_equation_right" => ChangeEquationRight(g),
            _ => throw new ArgumentOutOfRangeException(nameof(family)),
        };
        return mutant is null || mutant == g ? null : mutant;
    }

    static bool IsInfinite(string g) => g.Contains("infty", StringComparison.Ordinal);

    static bool OneIsWithinTolerance(string g, GradingOptions options) =>
        !options.IntegersExact && double.TryParse(g, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
        && Math.Abs(v) * options.RelativeTolerance >= 1;

    /// <summary>
    /// Ending in an integer: one more digit ("42" → "427", "= 0" → "= 07"). Ending in a decimal or anything else: a
    /// letter, which multiplies the value by a variable. A digit appended to a decimal is left out (3.14159 and
    /// 3.141597 are within the 1e-4 tolerance on purpose), and so is a letter after a zero (0q is 0).
    /// </summary>
    static string? AppendChar(string g)
    {
        var last = LastNumber().Match(g);
        bool endsInNumber = last.Success && last.Index + last.Length == g.Length;
        if (endsInNumber && !last.Value.Contains('.')) return g + "7";
        if (endsInNumber && ZeroOnly().IsMatch(last.Value)) return null;
        return g + "q";
    }

    /// <summary>The first digit of the first number, d → d+1 (9 → 8).</summary>
    static string? LeadingDigit(string g)
    {
        var m = FirstNumber().Match(g);
        if (!m.Success) return null;
        char d = g[m.Index];
        char changed = d == '9' ? '8' : (char)(d + 1);
        return g[..m.Index] + changed + g[(m.Index + 1)..];
    }

    /// <summary>The first ( [ ] ) that opens or closes an interval or tuple changes to the other kind.</summary>
    static string? SwapBracket(string g)
    {
        if (!(g.StartsWith('(') || g.StartsWith('[')) && !g.Contains("\\cup", StringComparison.Ordinal)) return null;
        for (int i = 0; i < g.Length; i++)
        {
            if (i > 0 && g[i - 1] == '\\') continue;
            char swapped = g[i] switch { '(' => '[', '[' => '(', ')' => ']', ']' => ')', _ => '\0' };
            if (swapped == '\0') continue;
            // A bracket next to infinity must stay open, so the other end is swapped instead.
            if (g.AsSpan(i).StartsWith("(-\\infty") || g.AsSpan(0, i + 1).EndsWith("\\infty)")) continue;
            return g[..i] + swapped + g[(i + 1)..];
        }
        return null;
    }

    /// <summary>The first integer exponent n (^n or ^{n}) becomes n+1; bases 0 and 1 are left alone.</summary>
    static string? ChangeExponent(string g)
    {
        foreach (Match m in Exponent().Matches(g))
        {
            if (m.Index > 0 && g[m.Index - 1] is '0' or '1' && (m.Index < 2 || !char.IsAsciiDigit(g[m.Index - 2]))) continue;
            if (UnitBefore().IsMatch(g[..m.Index])) continue;
            string digits = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            long n = long.Parse(digits) + 1;
            return g[..m.Index] + "^{" + n + "}" + g[(m.Index + m.Length)..];
        }
        return null;
    }

    /// <summary>The first number's sign flips; not for 0, nor with \pm or \mp (whose sign is already both).</summary>
    static string? ChangeSign(string g)
    {
        if (g.Contains("\\pm", StringComparison.Ordinal) || g.Contains("\\mp", StringComparison.Ordinal)) return null;
        var m = FirstNumber().Match(g);
        if (!m.Success || ZeroOnly().IsMatch(m.Value)) return null;
        int at = m.Index;
        if (CosineBefore().IsMatch(g[..at])) return null;
        if (at > 0 && g[at - 1] == '-') return g[..(at - 1)] + (at > 1 && IsOperandEnd(g[at - 2]) ? "+" : "") + g[at..];
        return g[..at] + "-" + g[at..];
    }

    static bool IsOperandEnd(char c) => char.IsAsciiLetterOrDigit(c) || c is ')' or '}' or ']';

    /// <summary>"lhs = rhs" → "lhs = (rhs)+1": an equation whose right side is off by one.</summary>
    static string? ChangeEquationRight(string g)
    {
        int eq = g.LastIndexOf('=');
        if (eq <= 0 || eq == g.Length - 1 || g[eq - 1] is '<' or '>' or '!' || g.Contains(',') || IsInfinite(g)) return null;
        return g[..(eq + 1)] + "(" + g[(eq + 1)..].Trim() + ")+1";
    }

    [GeneratedRegex(@"(?<![\d.])\d+(?:\.\d+)?")]
    private static partial Regex FirstNumber();
    [GeneratedRegex(@"\d*\.\d+|\d+", RegexOptions.RightToLeft)]
    private static partial Regex LastNumber();
    [GeneratedRegex(@"\\(?:text|mbox|mathrm)\s*\{[^{}]*\}\s*$")]
    private static partial Regex UnitBefore();
    [GeneratedRegex(@"\\cos\s*\(?\s*-?$")]
    private static partial Regex CosineBefore();
    [GeneratedRegex(@"^[0.]+$")]
    private static partial Regex ZeroOnly();
    [GeneratedRegex(@"\^\s*(?:\{\s*(\d+)\s*\}|(\d))")]
    private static partial Regex Exponent();
}
