namespace Rlsc.Core.Evaluation.Grading;

/// <summary>
/// The grader's verdict and how it was reached: "text" (equal after normalisation), "exact" (equal rationals),
/// "numeric" (within the relative tolerance), "symbolic" (equal at random points), "structure" (element by
/// element), "different", "no_answer", "unparsable" or "budget" (the comparison ran out of its time or step budget).
/// </summary>
public readonly record struct GradeResult(bool Equal, string Method)
{
    public static GradeResult Different(string method = "different") => new(false, method);
}
