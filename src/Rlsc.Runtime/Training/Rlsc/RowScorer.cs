using static TorchSharp.torch;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>
/// Teacher-forced scores of some of a question's samples under the sampling temperature, with what the objective
/// needs: the same computation for the no-grad pass of the generate-and-score phase and the gradient passes of the
/// loss phase, so both see the same values.
/// </summary>
sealed class RowScorer(ScoreNeeds needs, double temperature)
{
    /// <summary>The rows of one question.</summary>
    public RowScores Score(ITrainableModel model, int[] promptIds, IReadOnlyList<SampledCompletion> samples, List<int> rows) =>
        Score(model, [Group(promptIds, samples, rows)]);

    /// <summary>The rows of several questions in one forward, question by question.</summary>
    public RowScores Score(ITrainableModel model, IReadOnlyList<PromptCompletions> groups)
    {
        // rlsc and ttrl need only log p(y|x): the model scores the completions of each prompt (the Qwen2 runtime runs
        // each prompt once for all its rows, then the chunked LM head over completion rows, O(chunk x V) memory).
        // Entropy and self-certainty need each position's whole distribution, so they take the full logits of padded rows.
        if (needs == ScoreNeeds.LogProbs)
            return model.ScoreCompletions(groups, temperature);
        var rows = groups.SelectMany(g => g.Completions.Select(c => ((IReadOnlyList<int>)g.PromptIds, c))).ToList();
        using var batch = SequenceBatch.Build(rows, model.PadTokenId, model.Device);
        var logits = model.Logits(batch.InputIds, batch.AttentionMask);           // (B, T, V)
        return RowScores.FromLogits(logits, batch.InputIds, batch.CompletionMask, temperature, needs);
    }

    /// <summary>Tokens, padding included, that <see cref="Score(ITrainableModel, IReadOnlyList{PromptCompletions})"/> forwards.</summary>
    public long ForwardTokens(ITrainableModel model, IReadOnlyList<PromptCompletions> groups) =>
        needs == ScoreNeeds.LogProbs ? model.ForwardTokens(groups) : PromptCompletions.PaddedTokens(groups);

    public static PromptCompletions Group(int[] promptIds, IReadOnlyList<SampledCompletion> samples, IReadOnlyList<int> rows) =>
        new(promptIds, rows.Select(r => (IReadOnlyList<int>)samples[r].TokenIds).ToList());

    /// <summary>The no-grad scores of several micro-batches as one group, rows in sample order (only what coefficients read).</summary>
    public static RowScores Concatenate(List<(List<int> Rows, RowScores Scores)> parts, List<int> all)
    {
        var order = parts.SelectMany(p => p.Rows).ToArray();
        var back = tensor(all.Select(i => (long)Array.IndexOf(order, i)).ToArray());
        Tensor Join(Func<RowScores, Tensor?> pick) => cat(parts.Select(p => pick(p.Scores)!).ToArray(), 0).index_select(0, back.to(parts[0].Scores.Lengths.device));
        // Rows of different micro-batches are padded to different lengths: join per-row quantities, not per-token ones.
        var logProbs = Join(p => p.SequenceLogProbs().unsqueeze(-1));
        var tokens = new TokenScores(logProbs, zeros_like(logProbs));
        return new RowScores(tokens, null, parts[0].Scores.SelfCertainty is null ? null : Join(p => p.SelfCertainty), Join(p => p.Lengths));
    }
}
