namespace Rlsc.Core.Evaluation.Answers;

/// <summary>Which rule found the answer in a response (recorded per sample in problems.jsonl, snake_case).</summary>
public enum ExtractionRule
{
    /// <summary>Nothing found: an extraction failure.</summary>
    None,
    /// <summary>The last complete \boxed{...} or \fbox{...} (braces balanced), or "\boxed 5".</summary>
    Boxed,
    /// <summary>After the last "the answer is" (case-insensitive), up to the end of its line.</summary>
    TheAnswerIs,
    /// <summary>After the last "final answer is", preferring a following $...$ ("The final answer is $5$. I hope it is correct.").</summary>
    FinalAnswerIs,
    /// <summary>The last number in the response (integer, decimal, a/b, thousands commas removed).</summary>
    LastNumber,
    /// <summary>After the last "Answer:" / "answer" followed by a math environment ("The answer: $3$", "Answer \[ 9 \]").</summary>
    AnswerMarker,
    /// <summary>The last $...$, $$...$$, \(...\) or \[...\] of the response, when no number comes after it.</summary>
    LastLatex,
    /// <summary>`rlsc grade` only: no rule fired, so the whole text is taken as a bare answer.</summary>
    Bare,
}

public static class ExtractionRuleNames
{
    public static string ToName(this ExtractionRule rule) => rule switch
    {
        ExtractionRule.None => "none",
        ExtractionRule.Boxed => "boxed",
        ExtractionRule.TheAnswerIs => "the_answer_is",
        ExtractionRule.FinalAnswerIs => "final_answer_is",
        ExtractionRule.LastNumber => "last_number",
        ExtractionRule.Bare => "bare",
        ExtractionRule.AnswerMarker => "answer_marker",
        ExtractionRule.LastLatex => "last_latex",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    public static ExtractionRule Parse(string name) => name switch
    {
        "none" => ExtractionRule.None,
        "boxed" => ExtractionRule.Boxed,
        "the_answer_is" => ExtractionRule.TheAnswerIs,
        "final_answer_is" => ExtractionRule.FinalAnswerIs,
        "last_number" => ExtractionRule.LastNumber,
        "bare" => ExtractionRule.Bare,
        "answer_marker" => ExtractionRule.AnswerMarker,
        "last_latex" => ExtractionRule.LastLatex,
        _ => throw new RlscException(ErrorCodes.InvalidArgument,
            $"unknown extraction rule '{name}'; expected none, boxed, the_answer_is, final_answer_is, answer_marker, last_latex, last_number or bare."),
    };
}

/// <summary>An answer taken from a response, or null with <see cref="ExtractionRule.None"/>.</summary>
public sealed record ExtractedAnswer(string? Answer, ExtractionRule Rule)
{
    public bool Failed => Answer is null;
}
