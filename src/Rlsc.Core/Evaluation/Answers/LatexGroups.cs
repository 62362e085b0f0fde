namespace Rlsc.Core.Evaluation.Answers;

/// <summary>Brace-balanced scanning of LaTeX text, iterative so that deep nesting cannot overflow the stack.</summary>
public static class LatexGroups
{
    /// <summary>Index of the '}' closing the '{' at <paramref name="open"/>, or -1 when it is never closed. Skips \{ and \}.</summary>
    public static int MatchingBrace(string text, int open)
    {
        // Long texts are asked about many braces (every \boxed{, \text{, \frac{ of a megabyte answer): one linear pass
        // answers them all, so that callers looping over groups stay linear instead of quadratic.
        if (text.Length > LongText) return Matches(text)[open];
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\') { i++; continue; }
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }

    const int LongText = 4096;

    [ThreadStatic] static string? _cachedText;
    [ThreadStatic] static int[]? _cachedMatches;

    /// <summary>For every '{' of the text, the index of its closing '}' (or -1); other indices hold -1. Cached per thread for the last text.</summary>
    static int[] Matches(string text)
    {
        if (ReferenceEquals(text, _cachedText) && _cachedMatches is not null) return _cachedMatches;
        var matches = new int[text.Length];
        Array.Fill(matches, -1);
        var open = new Stack<int>();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\') { i++; continue; }
            if (c == '{') open.Push(i);
            else if (c == '}' && open.Count > 0) matches[open.Pop()] = i;
        }
        _cachedText = text;
        _cachedMatches = matches;
        return matches;
    }

    /// <summary>
    /// After a command ending at <paramref name="index"/>: skips spaces and returns the braced argument's content
    /// and the index after it, or null when no braced argument follows.
    /// </summary>
    public static (string Content, int End)? BracedArgument(string text, int index)
    {
        int i = index;
        while (i < text.Length && text[i] == ' ') i++;
        if (i >= text.Length || text[i] != '{') return null;
        int close = MatchingBrace(text, i);
        if (close < 0) return null;
        return (text[(i + 1)..close], close + 1);
    }

    /// <summary>True when <paramref name="command"/> (with backslash) starts at <paramref name="index"/> and is not the prefix of a longer command.</summary>
    public static bool CommandAt(string text, int index, string command) =>
        string.CompareOrdinal(text, index, command, 0, command.Length) == 0
        && (index + command.Length >= text.Length || !char.IsAsciiLetter(text[index + command.Length]));
}
