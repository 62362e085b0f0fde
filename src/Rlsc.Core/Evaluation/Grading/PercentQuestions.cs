using System.Text.RegularExpressions;

namespace Rlsc.Core.Evaluation.Grading;

/// <summary>
/// Whether a problem asks for a percentage, so that a predicted "25\%" may be read as the gold's bare 25
/// (<see cref="GradingOptions.PercentQuestion"/>, <see cref="MathGrader.ForQuestion"/>). Any mention counts ("percent", "percentage", "%", "\%"): a question
/// that names a percentage anywhere is one whose answer may be written as one. A question that does not gets
/// Math-Verify's reading of a predicted x% (x/100 only).
/// </summary>
public static partial class PercentQuestions
{
    public static bool Asks(string? question) => question is not null && Mention().IsMatch(question);

    [GeneratedRegex(@"percent|%", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking, 200)]
    private static partial Regex Mention();
}
