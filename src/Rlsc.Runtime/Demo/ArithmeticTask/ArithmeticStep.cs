namespace Rlsc.Runtime.Demo.ArithmeticTask;

public enum Operation { Add, Subtract, Multiply }

/// <summary>An operand of a step: a number from the question, or the result of an earlier step.</summary>
public abstract record Operand
{
    /// <summary>This operand's value, given the results written so far (slips included).</summary>
    public abstract int Value(IReadOnlyList<int> written);
}

/// <summary>A number stated in the question.</summary>
public sealed record Given(int Number) : Operand
{
    public override int Value(IReadOnlyList<int> written) => Number;
}

/// <summary>The result written at step <paramref name="Index"/> (a slip there propagates, as on paper).</summary>
public sealed record Earlier(int Index) : Operand
{
    public override int Value(IReadOnlyList<int> written) => written[Index];
}

/// <summary>One line of a worked solution: left op right = result.</summary>
public sealed record ArithmeticStep(Operand Left, Operation Op, Operand Right)
{
    public static int Apply(int left, Operation op, int right) => op switch
    {
        Operation.Add => left + right,
        Operation.Subtract => left - right,
        Operation.Multiply => left * right,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static char Symbol(Operation op) => op switch
    {
        Operation.Add => '+',
        Operation.Subtract => '-',
        Operation.Multiply => '*',
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>The results of <paramref name="steps"/> computed without a slip; the last one is the answer.</summary>
    public static int[] Evaluate(IReadOnlyList<ArithmeticStep> steps)
    {
        var results = new int[steps.Count];
        for (int i = 0; i < steps.Count; i++)
            results[i] = Apply(steps[i].Left.Value(results), steps[i].Op, steps[i].Right.Value(results));
        return results;
    }
}
