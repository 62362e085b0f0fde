using System.Text.RegularExpressions;

namespace Rlsc.Core.Evaluation.Answers;

/// <summary>
/// Finds the final answer in a model's response, as the Qwen2.5-Math toolkit does: the last complete \boxed{...}
/// (or \fbox{...}); else the text after the last "the answer is" / "final answer is" (whichever comes later);
/// else the last number. The rule that fired is returned with the answer.
/// </summary>
public static partial class AnswerExtractor
{
    /// <summary>For model responses: all rules, ending with the last-number fallback.</summary>
    public static ExtractedAnswer Extract(string? response) => Extract(response, bareFallback: false);

    /// <summary>
    /// For `rlsc grade`, whose "pred" may be a whole response or already a bare answer: the explicit rules, and when
    /// none fires the whole text (rule <see cref="ExtractionRule.Bare"/>) instead of its last number, so that
    /// "\frac{1}{2}" stays "\frac{1}{2}" and does not become "2".
    /// </summary>
    public static ExtractedAnswer ExtractOrBare(string? text) => Extract(text, bareFallback: true);

    static ExtractedAnswer Extract(string? response, bool bareFallback)
    {
        if (string.IsNullOrWhiteSpace(response)) return new ExtractedAnswer(null, ExtractionRule.None);
        if (LastBoxed(response) is { } boxed) return new ExtractedAnswer(boxed, ExtractionRule.Boxed);
        try
        {
            if (AfterAnswerPhrase(response) is { } phrase) return phrase;
            if (bareFallback) return new ExtractedAnswer(response.Trim(), ExtractionRule.Bare);
            if (LastNumber(response) is { } number) return new ExtractedAnswer(number, ExtractionRule.LastNumber);
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological response (megabytes of text) is an extraction failure, not a crash.
        }
        return new ExtractedAnswer(null, ExtractionRule.None);
    }

    /// <summary>The content of the last \boxed{...} / \fbox{...} whose braces close; "\boxed 5" takes the next word.</summary>
    public static string? LastBoxed(string text)
    {
        int searchEnd = text.Length;
        while (searchEnd > 0)
        {
            int boxed = text.LastIndexOf("\\boxed", searchEnd - 1, StringComparison.Ordinal);
            int fbox = text.LastIndexOf("\\fbox", searchEnd - 1, StringComparison.Ordinal);
            int at = Math.Max(boxed, fbox);
            if (at < 0) return null;
            int after = at + (at == boxed ? "\\boxed".Length : "\\fbox".Length);
            if (LatexGroups.BracedArgument(text, after) is { } arg)
            {
                string content = arg.Content.Trim();
                if (content.Length > 0) return content;
            }
            else if (after < text.Length && text[after] == ' ')
            {
                // "\boxed 5": the argument is the next token, up to a space or a closing $.
                int start = after + 1, end = start;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '$') end++;
                if (end > start) return text[start..end];
            }
            searchEnd = at;
        }
        return null;
    }

    static ExtractedAnswer? AfterAnswerPhrase(string text)
    {
        var the = TheAnswerIs().Match(text);
        var final = FinalAnswerIs().Match(text);
        if (!the.Success && !final.Success) return null;
        bool useFinal = final.Success && (!the.Success || final.Index >= the.Index);
        var m = useFinal ? final : the;
        string rest = text[(m.Index + m.Length)..];
        string? answer = AnswerAfterPhrase(rest);
        return answer is null ? null : new ExtractedAnswer(answer, useFinal ? ExtractionRule.FinalAnswerIs : ExtractionRule.TheAnswerIs);
    }

    /// <summary>"$\frac{1}{2}$. I hope it is correct." → "\frac{1}{2}"; "42." → "42"; "(B) 7" → "(B) 7".</summary>
    static string? AnswerAfterPhrase(string rest)
    {
        string s = rest.TrimStart(' ', ':', '\t');
        if (s.StartsWith("$$", StringComparison.Ordinal))
        {
            int close = s.IndexOf("$$", 2, StringComparison.Ordinal);
            if (close > 2) return Clean(s[2..close]);
        }
        if (s.StartsWith('$'))
        {
            int close = s.IndexOf('$', 1);
            if (close > 1) return Clean(s[1..close]);
        }
        if (s.StartsWith("\\(", StringComparison.Ordinal))
        {
            int close = s.IndexOf("\\)", 2, StringComparison.Ordinal);
            if (close > 2) return Clean(s[2..close]);
        }
        int newline = s.IndexOf('\n');
        if (newline >= 0) s = s[..newline];
        // A sentence ends at ". " followed by more words ("42. I hope it is correct.").
        var sentenceEnd = SentenceEnd().Match(s);
        if (sentenceEnd.Success) s = s[..sentenceEnd.Index];
        return Clean(s);
    }

    static string? Clean(string s)
    {
        string t = s.Trim().TrimEnd('.', ' ').Trim();
        if (t.StartsWith('$') && t.EndsWith('$') && t.Length > 1) t = t.Trim('$').Trim();
        return t.Length == 0 ? null : t;
    }

    /// <summary>The last number: "-12", "3.5", "1,234", ".5", "3/4".</summary>
    public static string? LastNumber(string text)
    {
        Match? last = null;
        foreach (Match m in Number().Matches(text)) last = m;
        return last?.Value.Replace(",", "");
    }

    [GeneratedRegex(@"the answer is", RegexOptions.IgnoreCase | RegexOptions.RightToLeft, 1000)]
    private static partial Regex TheAnswerIs();
    [GeneratedRegex(@"final answer is", RegexOptions.IgnoreCase | RegexOptions.RightToLeft, 1000)]
    private static partial Regex FinalAnswerIs();
    [GeneratedRegex(@"\.\s+(?=[A-Z])", RegexOptions.None, 1000)]
    private static partial Regex SentenceEnd();
    [GeneratedRegex(@"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:/\d+)?|-?\.\d+", RegexOptions.None, 1000)]
    private static partial Regex Number();
}
