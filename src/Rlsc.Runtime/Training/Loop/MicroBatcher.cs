namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// Splits sequences into micro-batches whose padded size (rows x longest row) stays within a token budget, so
/// long completions are back-propagated a few at a time and their gradients accumulated. Sequences are taken
/// longest first, which keeps padding small; a sequence longer than the budget gets a micro-batch of its own.
/// </summary>
public static class MicroBatcher
{
    /// <returns>Lists of indices into <paramref name="lengths"/>; every index appears exactly once.</returns>
    public static List<List<int>> Split(IReadOnlyList<int> lengths, int tokenBudget)
    {
        var order = Enumerable.Range(0, lengths.Count).OrderByDescending(i => lengths[i]).ThenBy(i => i).ToList();
        var batches = new List<List<int>>();
        List<int>? current = null;
        int longest = 0;
        foreach (int i in order)
        {
            // Longest first: the batch's first row sets its padded length.
            if (current is not null && (long)(current.Count + 1) * longest <= tokenBudget)
            {
                current.Add(i);
                continue;
            }
            current = [i];
            longest = Math.Max(1, lengths[i]);
            batches.Add(current);
        }
        return batches;
    }
}
