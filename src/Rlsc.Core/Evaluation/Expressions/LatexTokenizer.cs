using Rlsc.Core.Evaluation.Grading;

namespace Rlsc.Core.Evaluation.Expressions;

/// <summary>
/// Splits a normalised LaTeX answer into tokens. Letters are single-letter variables except for the function
/// words a response may write without a backslash ("sin", "sqrt", "ln", "pi"), so "ab" is a*b and "sinx" is sin x.
/// Returns false on a character that has no meaning in an answer (the grader then falls back to comparing text).
/// </summary>
public static class LatexTokenizer
{
    static readonly string[] FunctionWords =
    [
        "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "sqrt", "sin", "cos", "tan", "cot", "sec", "csc",
        "exp", "log", "ln", "pi", "infinity", "infty", "inf",
    ];

    public static bool TryTokenize(string text, GradingBudget budget, out List<LatexToken> tokens)
    {
        tokens = new List<LatexToken>(text.Length / 2 + 4);
        int i = 0;
        while (i < text.Length)
        {
            budget.Step();
            char c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                int start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                if (i < text.Length && text[i] == '.') { i++; while (i < text.Length && char.IsAsciiDigit(text[i])) i++; }
                // Scientific notation only as digits e digits ("4.5e33", "1e-5"); "2e^{x}" keeps e as Euler's number.
                if (i < text.Length && text[i] is 'e' or 'E')
                {
                    int j = i + 1;
                    if (j < text.Length && text[j] is '+' or '-') j++;
                    if (j < text.Length && char.IsAsciiDigit(text[j]))
                    {
                        while (j < text.Length && char.IsAsciiDigit(text[j])) j++;
                        i = j;
                    }
                }
                tokens.Add(new(LatexTokenKind.Number, text[start..i], start, i - start));
                continue;
            }
            if (char.IsAsciiLetter(c))
            {
                int start = i;
                while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
                SplitLetters(text, start, i, tokens);
                continue;
            }
            if (c == '\\')
            {
                int start = i++;
                if (i < text.Length && char.IsAsciiLetter(text[i]))
                {
                    while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
                    tokens.Add(new(LatexTokenKind.Command, text[(start + 1)..i], start, i - start));
                }
                else if (i < text.Length && text[i] == '{') { tokens.Add(new(LatexTokenKind.Open, "\\{", start, 2)); i++; }
                else if (i < text.Length && text[i] == '}') { tokens.Add(new(LatexTokenKind.Close, "\\}", start, 2)); i++; }
                else if (i < text.Length && text[i] == '\\') { tokens.Add(new(LatexTokenKind.Symbol, "\\\\", start, 2)); i++; }
                else if (i < text.Length && text[i] is ',' or ';' or ':' or '!' or ' ' or '>') i++; // spacing
                else return false;
                continue;
            }
            switch (c)
            {
                case '(' or '[' or '{':
                    tokens.Add(new(LatexTokenKind.Open, c.ToString(), i, 1)); i++; continue;
                case ')' or ']' or '}':
                    tokens.Add(new(LatexTokenKind.Close, c.ToString(), i, 1)); i++; continue;
                case '*' when i + 1 < text.Length && text[i + 1] == '*':
                    tokens.Add(new(LatexTokenKind.Symbol, "^", i, 2)); i += 2; continue;
                case '+' or '-' or '*' or '/' or '^' or '_' or '!' or '\'' or ',' or '=' or '|' or '&' or '<' or '>':
                    tokens.Add(new(LatexTokenKind.Symbol, c.ToString(), i, 1)); i++; continue;
                default:
                    return false;
            }
        }
        tokens.Add(new(LatexTokenKind.End, "", text.Length, 0));
        return true;
    }

    /// <summary>
    /// A multi-letter name that is one symbol, not a product of letters: three or more capitals ("SRMC", "LRAC") or
    /// a capitalised word ("Paris"). Multiplying its letters would make "SRMC" equal "CMRS" and let a name's letters
    /// cancel; kept whole, a name equals only itself. Two capitals stay a product, as physics writes them ("RC" is
    /// R·C) and as a segment AB equals BA.
    /// </summary>
    public static bool IsName(ReadOnlySpan<char> run)
    {
        if (run.Length < 2) return false;
        int capitals = 0;
        foreach (char c in run) if (char.IsAsciiLetterUpper(c)) capitals++;
        if (capitals >= 3) return true;
        if (run.Length < 3 || !char.IsAsciiLetterUpper(run[0])) return false;
        foreach (char c in run[1..]) if (!char.IsAsciiLetterLower(c)) return false;
        return true;
    }

    /// <summary>
    /// A run of letters: a multi-letter name (<see cref="IsName"/>) is one token; a known function word at its start is kept whole ("sinx" is sin x), everything else is one
    /// variable per letter ("xy" is x*y; "pin" is pi*n only because "pi" starts it).
    /// </summary>
    static void SplitLetters(string text, int start, int end, List<LatexToken> tokens)
    {
        int i = start;
        if (IsName(text.AsSpan(start, end - start)))
        {
            tokens.Add(new(LatexTokenKind.Word, text[start..end], start, end - start));
            return;
        }
        foreach (string w in FunctionWords)
            if (end - i >= w.Length && string.CompareOrdinal(text, i, w, 0, w.Length) == 0)
            {
                tokens.Add(new(LatexTokenKind.Word, w, i, w.Length));
                i += w.Length;
                break;
            }
        for (; i < end; i++) tokens.Add(new(LatexTokenKind.Word, text[i].ToString(), i, 1));
    }
}
