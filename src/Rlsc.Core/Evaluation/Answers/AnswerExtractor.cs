using System.Text.RegularExpressions;

namespace Rlsc.Core.Evaluation.Answers;

/// <summary>
/// Finds the final answer in a model's response, in priority order (the first rule that finds something wins; within
/// a rule the rightmost match): the last complete \boxed{...} or \fbox{...}, joined with the boxes written just
/// before it (<see cref="BoxedAnswers"/>); the text after the last "final answer is" or "the answer is" (whichever
/// comes later); the math environment or value after the last "Answer:" / "answer" marker; the last math environment
/// ($...$, $$...$$, \(...\), \[...\]) unless a number comes after it; else the last number. Markdown emphasis
/// (**10**, *10*, __10__) around an answer is dropped. The rule that fired is returned with the answer.
/// </summary>
public static partial class AnswerExtractor
{
    /// <summary>For model responses: all rules, ending with the last-number fallback.</summary>
    public static ExtractedAnswer Extract(string? response) => Extract(response, bareFallback: false);

    /// <summary>
    /// For `rlsc grade`, whose "pred" may be a whole response or already a bare answer: the explicit rules, and when
    /// none fires the whole text (rule <see cref="ExtractionRule.Bare"/>) instead of its last number, so that
    /// "\frac{1}{2}" stays "\frac{1}{2}" and does not become "2". A text with prose around a math environment
    /// ("Therefore $x \geq 5$ is the solution.") is a response, and its last environment is taken.
    /// </summary>
    public static ExtractedAnswer ExtractOrBare(string? text) => Extract(text, bareFallback: true);

    static ExtractedAnswer Extract(string? response, bool bareFallback)
    {
        if (string.IsNullOrWhiteSpace(response)) return new ExtractedAnswer(null, ExtractionRule.None);
        if (BoxedAnswers.LastJoined(response) is { } boxed) return new ExtractedAnswer(boxed, ExtractionRule.Boxed);
        try
        {
            if (AfterAnswerPhrase(response) is { } phrase) return phrase;
            var environments = MathEnvironments.All(response);
            environments.RemoveAll(e => e.Content.Length == 0);
            if (AfterAnswerMarker(response, environments) is { } marked) return new ExtractedAnswer(marked, ExtractionRule.AnswerMarker);
            // `rlsc grade` keeps a bare answer whole ("28 pct", "\frac{1}{2}"); a sentence is a response like any other.
            bool bare = bareFallback && !IsProse(response);
            if (environments.Count > 0)
            {
                var last = environments[^1];
                bool wholeText = bare && response.AsSpan(0, last.Start).Trim().IsEmpty && response.AsSpan(last.End).Trim().IsEmpty
                    && environments.Count == 1;
                bool numberAfter = !bare && LastNumberMatch(response) is { } n && n.Index >= last.End;
                if (!wholeText && !numberAfter && Clean(last.Content) is { } latex) return new ExtractedAnswer(latex, ExtractionRule.LastLatex);
            }
            if (bare) return new ExtractedAnswer(response.Trim(), ExtractionRule.Bare);
            if (LastNumber(response) is { } number) return new ExtractedAnswer(number, ExtractionRule.LastNumber);
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological response (megabytes of text) is an extraction failure, not a crash.
        }
        return new ExtractedAnswer(null, ExtractionRule.None);
    }

    /// <summary>
    /// "The answer: $3$", "Answer \[ 9 \]", "**Answer:** 12": the last "answer" marker followed (after a colon, "is" or
    /// spaces only) by a math environment, whose content is the answer; or "Answer: 12" (with a colon) followed by a
    /// value up to the end of its line or sentence.
    /// </summary>
    static string? AfterAnswerMarker(string text, List<(string Content, int Start, int End)> environments)
    {
        var m = AnswerMarker().Match(text);
        if (!m.Success) return null;
        int after = m.Index + m.Length;
        foreach (var e in environments)
            if (e.Start == after) return Clean(e.Content);
        if (!m.Groups["colon"].Success) return null;
        string rest = text[after..];
        if (rest.StartsWith('$') || rest.StartsWith("\\(", StringComparison.Ordinal) || rest.StartsWith("\\[", StringComparison.Ordinal)) return null;
        // "Final Answer: The largest $n$ is 34." is a sentence: the later rules (last environment, last number) read it.
        string? value = AnswerAfterPhrase(rest);
        return value is null || IsProse(value) ? null : value;
    }

    /// <summary>Three or more words of two or more letters outside math and commands: a sentence, not an answer.</summary>
    static bool IsProse(string text)
    {
        int words = 0;
        foreach (Match w in Word().Matches(text))
        {
            if (++words >= 3) return true;
        }
        return false;
    }

    /// <summary>The content of the last \boxed{...} / \fbox{...} whose braces close; "\boxed 5" takes the next word.</summary>
    public static string? LastBoxed(string text) => BoxedAnswers.Last(text);

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
        t = WithoutEmphasis(t);
        if (t.StartsWith('$') && t.EndsWith('$') && t.Length > 1) t = t.Trim('$').Trim();
        t = t.TrimEnd('.', ' ').Trim();
        return t.Length == 0 ? null : t;
    }

    /// <summary>"**10**" → "10", "*10*" → "10", "__10__" → "10": Markdown emphasis is presentation, not the answer.</summary>
    static string WithoutEmphasis(string t)
    {
        foreach (string mark in (string[])["**", "__", "*", "_"])
            if (t.Length > 2 * mark.Length && t.StartsWith(mark, StringComparison.Ordinal) && t.EndsWith(mark, StringComparison.Ordinal))
                return t[mark.Length..^mark.Length].Trim();
        return t;
    }

    /// <summary>The last number: "-12", "3.5", "1,234", ".5", "3/4".</summary>
    public static string? LastNumber(string text) => LastNumberMatch(text)?.Value.Replace(",", "");

    static Match? LastNumberMatch(string text)
    {
        Match? last = null;
        foreach (Match m in Number().Matches(text)) last = m;
        return last;
    }

    [GeneratedRegex(@"the answer is", RegexOptions.IgnoreCase | RegexOptions.RightToLeft, 1000)]
    private static partial Regex TheAnswerIs();
    [GeneratedRegex(@"final answer is", RegexOptions.IgnoreCase | RegexOptions.RightToLeft, 1000)]
    private static partial Regex FinalAnswerIs();
    [GeneratedRegex(@"\banswer\b(?:\s*\*\*)?\s*(?:is\b)?\s*(?<colon>:)?(?:\s*\*\*)?\s*", RegexOptions.IgnoreCase | RegexOptions.RightToLeft, 1000)]
    private static partial Regex AnswerMarker();
    [GeneratedRegex(@"(?<![\\a-zA-Z{$])[a-zA-Z]{2,}(?![a-zA-Z}$])", RegexOptions.None, 1000)]
    private static partial Regex Word();
    [GeneratedRegex(@"\.\s+(?=[A-Z])", RegexOptions.None, 1000)]
    private static partial Regex SentenceEnd();
    [GeneratedRegex(@"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:/\d+)?|-?\.\d+", RegexOptions.None, 1000)]
    private static partial Regex Number();
}
