using System.Diagnostics;

namespace Rlsc.Core.Evaluation.Grading;

/// <summary>
/// Bounds one grading decision: a step budget (deterministic: the same input always gets the same verdict)
/// and a wall-clock deadline as a backstop (the Qwen2.5-Math toolkit allows 3 s per comparison). Parsers and
/// evaluators call <see cref="Step"/> as they work and <see cref="Enter"/>/<see cref="Exit"/> around recursion,
/// so that pathological input (deeply nested braces, 10k-character strings, towers of exponents) ends in a
/// "not equal" verdict instead of a hang or a stack overflow. Nothing is aborted from outside.
/// </summary>
public sealed class GradingBudget
{
    readonly long _deadline;
    readonly int _maxDepth;
    long _stepsLeft;
    int _depth;

    public GradingBudget(long maxSteps, TimeSpan timeLimit, int maxDepth)
    {
        _stepsLeft = maxSteps;
        _maxDepth = maxDepth;
        _deadline = Stopwatch.GetTimestamp() + (long)(timeLimit.TotalSeconds * Stopwatch.Frequency);
    }

    public static GradingBudget Unlimited() => new(long.MaxValue / 2, TimeSpan.FromDays(1), 10_000);

    public long StepsLeft => _stepsLeft;

    /// <summary>Spends <paramref name="steps"/>; throws <see cref="GradingBudgetExceeded"/> when the budget is gone.</summary>
    public void Step(long steps = 1)
    {
        long before = _stepsLeft;
        _stepsLeft -= steps;
        if (_stepsLeft < 0) throw new GradingBudgetExceeded("step budget");
        // Check the clock about every 4096 steps: cheap, and still well inside the deadline's resolution.
        if ((before >> 12) != (_stepsLeft >> 12) && Stopwatch.GetTimestamp() > _deadline)
            throw new GradingBudgetExceeded("time limit");
    }

    public void Enter()
    {
        if (++_depth > _maxDepth) { _depth--; throw new GradingBudgetExceeded("nesting depth"); }
        Step();
    }

    public void Exit() => _depth--;
}

/// <summary>Thrown inside the grader when a comparison runs out of its budget; never escapes the grader.</summary>
public sealed class GradingBudgetExceeded(string what) : Exception($"grading stopped: {what} exhausted")
{
    public string What { get; } = what;
}
