namespace Rlsc.Runtime.Demo.ArithmeticTask;

/// <summary>
/// The slips of the noisy teacher who writes the warm-up solutions: the mistakes a tired person makes on paper,
/// each giving one specific wrong value rather than a random number.
/// <list type="bullet">
/// <item>forgotten carry: 47+38 written as 75 (the ones overflow, the carry into the tens is lost): result - 10;</item>
/// <item>forgotten borrow: 52-17 written as 45 (the ones underflow, the borrow from the tens is lost): result + 10;</item>
/// <item>times-table neighbour: 7*8 written as 63 (7*9, the next entry of 7's row): result + left.</item>
/// </list>
/// A step without a carry, a borrow or a multiplication cannot slip. Why one wrong value per step: sampling at a
/// temperature below 1 squares away a diffuse noise floor (ten wrong digits at 3% each all but vanish at T = 0.5),
/// and so does a slip split between two values (60:20:20 becomes 82:9:9 at T = 0.5), while one wrong value at 40%
/// survives it (60:40 becomes 69:31). The model that learns from such a teacher is right in its most likely answer
/// yet often wrong in a sample: the regime RLSC addresses. The next entry rather than the previous one because it
/// is never smaller, so a slipped product never makes a later count negative.
/// </summary>
public static class Slips
{
    /// <summary>The wrong value a slip can produce for <paramref name="left"/> op <paramref name="right"/> (none: it cannot slip).</summary>
    public static IReadOnlyList<int> Alternatives(int left, Operation op, int right)
    {
        int result = ArithmeticStep.Apply(left, op, right);
        return op switch
        {
            Operation.Add when left % 10 + right % 10 >= 10 => [result - 10],
            Operation.Subtract when left >= 0 && right >= 0 && left % 10 < right % 10 && left >= 10 => [result + 10],
            Operation.Multiply when right >= 2 && left >= 2 => [result + left],
            _ => [],
        };
    }
}
