namespace Rlsc.Runtime.Demo.ArithmeticTask;

/// <summary>A generated word problem, the steps that solve it and its answer (the last step's result).</summary>
public sealed record ArithmeticProblem(string Id, string Template, string Question, IReadOnlyList<ArithmeticStep> Steps)
{
    public int Answer => ArithmeticStep.Evaluate(Steps)[^1];
}
