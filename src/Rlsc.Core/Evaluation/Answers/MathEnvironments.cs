namespace Rlsc.Core.Evaluation.Answers;

/// <summary>
/// Finds the math environments of a response: $...$, $$...$$, \(...\) and \[...\]. Escaped dollars (\$, currency)
/// do not open or close one. Linear in the text's length.
/// </summary>
public static class MathEnvironments
{
    /// <summary>Every complete environment, in order: its content (trimmed) and where it starts and ends in the text.</summary>
    public static List<(string Content, int Start, int End)> All(string text)
    {
        var found = new List<(string, int, int)>();
        // Once a closing delimiter is missing from some point on, it is missing for every later opening too: these
        // flags keep a megabyte of unclosed "$" or "\(" linear instead of quadratic.
        bool noRound = false, noSquare = false, noDisplay = false, noDollar = false;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                char next = text[i + 1];
                if (next is '(' && !noRound || next is '[' && !noSquare)
                {
                    string close = next == '(' ? "\\)" : "\\]";
                    int end = text.IndexOf(close, i + 2, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        if (next == '(') noRound = true; else noSquare = true;
                        i += 2;
                        continue;
                    }
                    // Inline \(...\) stays on one line; \[...\] may span several.
                    if (next == '(' && text.AsSpan(i + 2, end - i - 2).Contains('\n')) { i += 2; continue; }
                    found.Add((text[(i + 2)..end].Trim(), i, end + 2));
                    i = end + 2;
                    continue;
                }
                i += 2; // "\$" and any other escaped character
                continue;
            }
            if (c == '$')
            {
                bool display = i + 1 < text.Length && text[i + 1] == '$' && !noDisplay;
                if (!display && noDollar) { i++; continue; }
                int open = display ? 2 : 1;
                int end = ClosingDollar(text, i + open, display);
                if (end == NewlineFirst) { i++; continue; }
                if (end < 0)
                {
                    if (display) noDisplay = true; else noDollar = true;
                    i += display ? 0 : 1;
                    continue;
                }
                found.Add((text[(i + open)..end].Trim(), i, end + open));
                i = end + open;
                continue;
            }
            i++;
        }
        return found;
    }

    /// <summary>An inline $ whose line ends before a closing $: not an environment (Math-Verify's rule too).</summary>
    const int NewlineFirst = -2;

    static int ClosingDollar(string text, int from, bool display)
    {
        for (int j = from; j < text.Length; j++)
        {
            if (text[j] == '\\') { j++; continue; }
            if (!display && text[j] == '\n') return NewlineFirst;
            if (text[j] != '$') continue;
            if (!display) return j;
            if (j + 1 < text.Length && text[j + 1] == '$') return j;
        }
        return -1;
    }
}
