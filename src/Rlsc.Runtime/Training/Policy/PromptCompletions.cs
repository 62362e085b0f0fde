namespace Rlsc.Runtime.Training.Policy;

/// <summary>Completions of one prompt, scored together (<see cref="ITrainableModel.ScoreCompletions"/>).</summary>
/// <param name="PromptIds">The prompt's tokens.</param>
/// <param name="Completions">Each completion's tokens.</param>
public sealed record PromptCompletions(int[] PromptIds, IReadOnlyList<IReadOnlyList<int>> Completions)
{
    public int Longest => Completions.Count == 0 ? 0 : Completions.Max(c => c.Count);

    /// <summary>Tokens of these rows when each carries its own prompt, padded to the longest: B x max(P + L).</summary>
    public static long PaddedTokens(IReadOnlyList<PromptCompletions> groups)
    {
        int rows = groups.Sum(g => g.Completions.Count);
        int longest = groups.Max(g => g.Completions.Count == 0 ? 0 : g.PromptIds.Length + g.Longest);
        return (long)rows * longest;
    }
}
