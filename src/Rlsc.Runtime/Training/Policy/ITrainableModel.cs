using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Rlsc;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Training.Policy;

/// <summary>
/// What the trainers need of a language model: its module (parameters named like the checkpoint keys, where
/// LoRA attaches), the tokenizer, a differentiable forward to logits, sampling, and saving as a Hugging Face
/// checkpoint. <see cref="CausalLmTrainable"/> implements it on the project's Qwen2 runtime; tests can use
/// small stand-ins.
/// </summary>
public interface ITrainableModel : IDisposable
{
    /// <summary>The TorchSharp module whose parameters are trained (or frozen under LoRA).</summary>
    nn.Module Module { get; }

    Device Device { get; }

    /// <summary>Longest sequence (prompt + completion) the model accepts.</summary>
    int ContextLength { get; }

    /// <summary>Id used to pad sequences on the right (never attended to, never scored).</summary>
    int PadTokenId { get; }

    /// <summary>End-of-sequence ids; the first one is appended to SFT completions.</summary>
    IReadOnlyList<int> EosTokenIds { get; }

    /// <summary>Token ids of a text in which special tokens (&lt;|im_start|&gt;) are recognised; none are added.</summary>
    int[] Encode(string text);

    string Decode(IReadOnlyList<int> ids);

    /// <summary>(B, T) int64 ids and (B, T) attention mask to (B, T, V) logits, differentiable when grad is on.</summary>
    Tensor Logits(Tensor inputIds, Tensor attentionMask);

    /// <summary>
    /// Per-token log-probs and entropies of the completion tokens under log_softmax(logits / T), differentiable when
    /// grad is on. This default goes through the full (B, T, V) logits; a model that can apply its head to chosen
    /// rows overrides it with <see cref="CompletionTokenScorer"/> (same values, O(chunk x V) memory).
    /// </summary>
    TokenScores Score(Tensor inputIds, Tensor attentionMask, Tensor completionMask, double temperature) =>
        TokenScores.FromLogits(Logits(inputIds, attentionMask), inputIds, completionMask, temperature);

    /// <summary>
    /// log p(y|x) of the completions of one or several prompts, rows in the order given (prompt by prompt), as
    /// <see cref="Score"/> computes it (differentiable when grad is on). This default pads prompt + completion in every
    /// row; a model that can run each prompt once for all its rows overrides it (same values to float rounding) and
    /// <see cref="ForwardTokens"/> with it.
    /// </summary>
    RowScores ScoreCompletions(IReadOnlyList<PromptCompletions> groups, double temperature) =>
        ScorePadded(this, groups, temperature);

    /// <summary>Tokens, padding included, that <see cref="ScoreCompletions"/> runs through the model for these rows.</summary>
    long ForwardTokens(IReadOnlyList<PromptCompletions> groups) => PromptCompletions.PaddedTokens(groups);

    /// <summary>Each row its own copy of its prompt, then its completion, right-padded: <see cref="ScoreCompletions"/>'s default.</summary>
    static RowScores ScorePadded(ITrainableModel model, IReadOnlyList<PromptCompletions> groups, double temperature)
    {
        var rows = groups.SelectMany(g => g.Completions.Select(c => ((IReadOnlyList<int>)g.PromptIds, c))).ToList();
        using var batch = SequenceBatch.Build(rows, model.PadTokenId, model.Device);
        return RowScores.FromTokens(model.Score(batch.InputIds, batch.AttentionMask, batch.CompletionMask, temperature), batch.CompletionMask);
    }

    /// <summary>Samples completions of one prompt with gradients off; deterministic for a given request seed.</summary>
    IReadOnlyList<SampledCompletion> Sample(int[] promptIds, SamplingRequest request, IProgress<int>? tokens, CancellationToken cancellation);

    /// <summary>
    /// Samples the completions of several prompts, each with its own request (seed included); prompt i's completions
    /// equal Sample(prompts[i], requests[i]). This default samples one prompt after the other; a model that can decode
    /// them in one batch overrides it.
    /// </summary>
    IReadOnlyList<IReadOnlyList<SampledCompletion>> SampleMany(IReadOnlyList<int[]> prompts, IReadOnlyList<SamplingRequest> requests,
        IProgress<int>? tokens, CancellationToken cancellation) =>
        prompts.Select((prompt, i) => Sample(prompt, requests[i], tokens, cancellation)).ToList();

    /// <summary>Writes the current weights and the tokenizer files as a Hugging Face checkpoint folder.</summary>
    void Save(string directory);
}
