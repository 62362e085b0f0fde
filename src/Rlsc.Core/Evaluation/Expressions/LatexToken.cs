namespace Rlsc.Core.Evaluation.Expressions;

public enum LatexTokenKind
{
    /// <summary>A decimal literal: "12", "0.5", ".25", "4.5e33".</summary>
    Number,
    /// <summary>One letter (a variable or constant), or a multi-letter function word written without a backslash ("sin").</summary>
    Word,
    /// <summary>A control word without its backslash: "frac", "pi", "sqrt".</summary>
    Command,
    /// <summary>One of + - * / ^ _ ! ' , = | &amp; and "\\" (row break, Text = "\\").</summary>
    Symbol,
    /// <summary>( [ { or \{ (Text "\{").</summary>
    Open,
    /// <summary>) ] } or \} (Text "\}").</summary>
    Close,
    End,
}

/// <summary>One token of a LaTeX answer, with its place in the source (for subscript names and messages).</summary>
public readonly record struct LatexToken(LatexTokenKind Kind, string Text, int Start, int Length)
{
    public bool Is(LatexTokenKind kind, string text) => Kind == kind && Text == text;
    public override string ToString() => $"{Kind}:{Text}";
}
