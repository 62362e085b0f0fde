namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// Packs the micro-batches of a step's questions into shared forward passes: in order, each pack takes whole
/// micro-batches while the tokens it would forward (padding included, as the model counts them) stay within the
/// budget. A micro-batch over the budget by itself still gets a pack of its own. Whole micro-batches only, so a
/// question split across several (its N samples over the budget) keeps exactly the split it would have alone.
/// </summary>
public static class QuestionPacks
{
    /// <param name="Question">The question's index in the step.</param>
    /// <param name="Rows">Its samples in this micro-batch.</param>
    public sealed record Unit(int Question, List<int> Rows);

    /// <param name="forwardTokens">Tokens a candidate pack would forward.</param>
    public static List<List<Unit>> Pack(IReadOnlyList<Unit> units, Func<IReadOnlyList<Unit>, long> forwardTokens, int tokenBudget)
    {
        var packs = new List<List<Unit>>();
        List<Unit>? current = null;
        foreach (var unit in units)
        {
            if (current is not null && forwardTokens([.. current, unit]) <= tokenBudget)
            {
                current.Add(unit);
                continue;
            }
            current = [unit];
            packs.Add(current);
        }
        return packs;
    }
}
