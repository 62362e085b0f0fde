using System.Text.RegularExpressions;

namespace Rlsc.Core.Evaluation.Answers;

/// <summary>
/// Several boxed answers written side by side ("\boxed{1} and \boxed{2}", "\boxed{(2, 2)} \quad \text{and} \quad
/// \boxed{(6, 2)}") are one answer with several parts: they are joined with ", " into a list, which the grader compares
/// with a gold set or list element by element, and which a single gold value never equals (a response that boxes two
/// candidates has not chosen one). Boxes separated by anything but joining words and spacing stay apart, and only the
/// last one counts.
/// </summary>
public static partial class BoxedAnswers
{
    /// <summary>At most this many adjacent boxes are joined: a longer run is a list the grader compares anyway.</summary>
    const int MaxJoined = 16;

    /// <summary>The last box's content, joined with the boxes written just before it; null when there is no complete box.</summary>
    public static string? LastJoined(string text)
    {
        var last = Previous(text, text.Length);
        if (last is null) return null;
        var parts = new List<string> { last.Value.Content };
        int start = last.Value.Start;
        while (parts.Count < MaxJoined && Previous(text, start) is { } before && before.End <= start
               && JoinerOnly().IsMatch(text.AsSpan(before.End, start - before.End)))
        {
            parts.Add(before.Content);
            start = before.Start;
        }
        parts.Reverse();
        return string.Join(", ", parts);
    }

    /// <summary>The last box's content alone (the gold rule `last_boxed` and single-box callers).</summary>
    public static string? Last(string text) => Previous(text, text.Length)?.Content;

    /// <summary>
    /// The last complete, non-empty \boxed{...} or \fbox{...} ending by <paramref name="end"/>; "\boxed 5" (no braces)
    /// takes the next word, up to a space or a closing $.
    /// </summary>
    static (string Content, int Start, int End)? Previous(string text, int end)
    {
        int searchEnd = end;
        // Each command's last position is searched again only once the search has passed it: a text full of
        // "\\boxed{" and no "\\fbox" must not rescan the whole text for "\\fbox" at every box (quadratic).
        int boxed = int.MaxValue, fbox = int.MaxValue;
        while (searchEnd > 0)
        {
            if (boxed >= searchEnd) boxed = text.LastIndexOf("\\boxed", searchEnd - 1, StringComparison.Ordinal);
            if (fbox >= searchEnd) fbox = text.LastIndexOf("\\fbox", searchEnd - 1, StringComparison.Ordinal);
            int at = Math.Max(boxed, fbox);
            if (at < 0) return null;
            int after = at + (at == boxed ? "\\boxed".Length : "\\fbox".Length);
            if (LatexGroups.BracedArgument(text, after) is { } arg)
            {
                if (arg.Content.Trim().Length > 0 && arg.End <= end) return (arg.Content.Trim(), at, arg.End);
            }
            else if (after < end && text[after] == ' ')
            {
                int start = after + 1, stop = start;
                while (stop < end && !char.IsWhiteSpace(text[stop]) && text[stop] != '$') stop++;
                if (stop > start) return (text[start..stop], at, stop);
            }
            searchEnd = at;
        }
        return null;
    }

    /// <summary>Between two boxes of one answer: spacing, math delimiters, commas, "and"/"or" (plain or in \text).</summary>
    [GeneratedRegex(@"^(?:\s|\$|\\\(|\\\)|\\\[|\\\]|\\quad|\\qquad|\\[,;: !]|\\text\s*\{\s*(?:and|or|,)?\s*\}|\band\b|\bor\b|,|;|\\\\)*$", RegexOptions.None, 200)]
    private static partial Regex JoinerOnly();
}
