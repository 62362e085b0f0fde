namespace Rlsc.Core.Evaluation.Grading;

/// <summary>
/// Scans normalised LaTeX at bracket depth 0: splits on separators (",", "\cup", "=", relations) and finds the
/// bracket that closes the first one. All bracket kinds count alike, so intervals such as "(3,4]" close properly.
/// </summary>
public static class TopLevel
{
    static readonly string[] OpenCommands = ["\\{", "\\langle", "\\lfloor", "\\lceil", "\\begin", "\\lvert"];
    static readonly string[] CloseCommands = ["\\}", "\\rangle", "\\rfloor", "\\rceil", "\\end", "\\rvert"];

    /// <summary>Splits at depth-0 occurrences of any of <paramref name="separators"/>; the separators found are returned too.</summary>
    public static (List<string> Parts, List<string> Separators) Split(string s, IReadOnlyList<string> separators, GradingBudget budget)
    {
        var parts = new List<string>();
        var found = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            budget.Step();
            char c = s[i];
            if (c == '\\')
            {
                if (Matches(s, i, OpenCommands) is { } open) { depth++; i += open.Length - 1; continue; }
                if (Matches(s, i, CloseCommands) is { } close) { depth--; i += close.Length - 1; continue; }
            }
            else if (c is '(' or '[' or '{') { depth++; continue; }
            else if (c is ')' or ']' or '}') { depth--; continue; }
            if (depth != 0) { if (c == '\\') i = SkipCommand(s, i); continue; }
            string? separator = null;
            foreach (string sep in separators)
                if (string.CompareOrdinal(s, i, sep, 0, sep.Length) == 0
                    && (!sep.StartsWith('\\') || i + sep.Length >= s.Length || !char.IsAsciiLetter(s[i + sep.Length])))
                { separator = sep; break; }
            if (separator is null) { if (c == '\\') i = SkipCommand(s, i); continue; }
            parts.Add(s[start..i].Trim());
            found.Add(separator);
            start = i + separator.Length;
            i = start - 1;
        }
        parts.Add(s[start..].Trim());
        return (parts, found);
    }

    /// <summary>If the first character opens a bracket that closes at the very end, the pair; else null.</summary>
    public static (string Open, string Close, string Inner)? Enclosed(string s, GradingBudget budget)
    {
        string? open = s.StartsWith("\\{") ? "\\{" : s.StartsWith("\\langle") ? "\\langle" : s.Length > 0 && s[0] is '(' or '[' ? s[0].ToString() : null;
        if (open is null) return null;
        int depth = 0;
        for (int i = 0; i < s.Length; i++)
        {
            budget.Step();
            char c = s[i];
            int closeLength = 0;
            if (c == '\\')
            {
                if (Matches(s, i, OpenCommands) is { } o) { depth++; i += o.Length - 1; continue; }
                if (Matches(s, i, CloseCommands) is { } cl) { depth--; closeLength = cl.Length; }
                else { i = SkipCommand(s, i); continue; }
            }
            else if (c is '(' or '[' or '{') { depth++; continue; }
            else if (c is ')' or ']' or '}') { depth--; closeLength = 1; }
            else continue;
            if (depth == 0)
            {
                if (i + closeLength != s.Length) return null;
                string close = s.Substring(i, closeLength);
                return (open, close, s[open.Length..i].Trim());
            }
            i += closeLength - 1;
        }
        return null;
    }

    static string? Matches(string s, int i, string[] commands)
    {
        foreach (string c in commands)
            if (string.CompareOrdinal(s, i, c, 0, c.Length) == 0
                && (!char.IsAsciiLetter(c[^1]) || i + c.Length >= s.Length || !char.IsAsciiLetter(s[i + c.Length])))
                return c;
        return null;
    }

    /// <summary>Index of the last character of the command starting at i ("\frac" → the 'c'; "\," → ',').</summary>
    static int SkipCommand(string s, int i)
    {
        int j = i + 1;
        if (j < s.Length && !char.IsAsciiLetter(s[j])) return j;
        while (j < s.Length && char.IsAsciiLetter(s[j])) j++;
        return j - 1;
    }
}
