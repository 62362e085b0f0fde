using Rlsc.Runtime.Training.Rlsc;
using static TorchSharp.torch;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Sampling;
using Rlsc.Runtime.Training.Loop;

namespace Rlsc.Runtime.Training.Policy;

/// <summary>
/// The project's Qwen2 runtime as the trainers see it: <see cref="CausalLM"/> for the weights, the forward pass, the
/// tokenizer and the EOS ids, <see cref="Generation"/> (batched, KV-cached, seeded per sample, stopping where
/// <see cref="Generation.StopsFor"/> says) for sampling. It owns no tokenizer or stop rule of its own, so training
/// samples end exactly where `rlsc generate` and the evaluation end theirs.
/// </summary>
public sealed class CausalLmTrainable : ITrainableModel
{
    readonly CausalLM model;
    readonly IReadOnlyList<int> eosIds;

    CausalLmTrainable(CausalLM model)
    {
        this.model = model;
        eosIds = model.EosTokenIds;   // computed once: the trainers ask for them per step
    }

    /// <summary>Loads a Hugging Face model folder (weights, config.json, tokenizer files) on a placement.</summary>
    public static ITrainableModel Load(string directory, ModelPlacement placement) =>
        new CausalLmTrainable(CausalLM.Load(directory, new ModelLoadOptions(placement.Device, placement.DType)));

    public CausalLM CausalLM => model;
    public nn.Module Module => model.Module;
    public Device Device => model.Device;
    public int ContextLength => model.Config.MaxPositionEmbeddings;
    public int PadTokenId => model.Tokenizer.PadTokenId ?? eosIds.FirstOrDefault();
    /// <summary>config.json's eos_token_id, then the tokenizer's (its eos_token, &lt;|im_end|&gt;, &lt;|endoftext|&gt;): <see cref="CausalLM.EosTokenIds"/>.</summary>
    public IReadOnlyList<int> EosTokenIds => eosIds;

    public int[] Encode(string text) => model.Tokenizer.Encode(text);

    public string Decode(IReadOnlyList<int> ids) => model.Tokenizer.Decode(ids, skipSpecialTokens: false);

    public Tensor Logits(Tensor inputIds, Tensor attentionMask) =>
        model.Module.call(new CausalLMInput(inputIds, attentionMask)).Logits!;   // (B, T, V)

    /// <summary>Only the completion rows through the LM head, in row chunks: no (B, T, V) logits.</summary>
    public TokenScores Score(Tensor inputIds, Tensor attentionMask, Tensor completionMask, double temperature)
    {
        var module = model.Module;
        var hidden = module.call(new CausalLMInput(inputIds, attentionMask, ComputeLogits: false)).HiddenStates;  // (B, T, C)
        var headWeight = module.lm_head?.weight ?? module.model.embed_tokens.weight!;                           // (V, C)
        return CompletionTokenScorer.Score(hidden, headWeight, inputIds, completionMask, temperature);
    }

    /// <summary>
    /// Each prompt through the model once (the prompts as one right-padded batch; their keys and values shared by
    /// their rows, <see cref="SharedPrefix"/>), then all completions as one right-padded batch that attends to its
    /// prompt; a prompt's last hidden state predicts its completions' first token. Same values as every row carrying
    /// its own prompt, to float rounding, at a fraction of the cost when prompts are long next to the completions (the
    /// embedded default: 57 prompt tokens, ~25 per completion, 16 completions per prompt).
    /// </summary>
    public RowScores ScoreCompletions(IReadOnlyList<PromptCompletions> groups, double temperature)
    {
        int q = groups.Count, b = groups.Sum(g => g.Completions.Count);
        int longestPrompt = groups.Max(g => g.PromptIds.Length), longest = groups.Max(g => g.Longest);
        if (groups.Any(g => g.PromptIds.Length == 0) || longest == 0) return ITrainableModel.ScorePadded(this, groups, temperature);
        var module = model.Module;
        using var prefix = new SharedPrefix(model.Config.NumHiddenLayers);

        // The prompts, then the completions, each as a right-padded batch of its own (no completion, no prompt).
        using var prompts = SequenceBatch.Build(groups.Select(g => ((IReadOnlyList<int>)g.PromptIds, (IReadOnlyList<int>)[])).ToList(), PadTokenId, Device);
        using var rows = SequenceBatch.Build(groups.SelectMany(g => g.Completions.Select(c => ((IReadOnlyList<int>)[], c))).ToList(), PadTokenId, Device);
        var (promptIds, promptMask) = (prompts.InputIds, prompts.AttentionMask);                            // (Q, P)
        var (completionIds, completionMask) = (rows.InputIds, rows.CompletionMask);                         // (B, L)
        bool padded = groups.Any(g => g.PromptIds.Length != longestPrompt);
        var promptHidden = module.call(new CausalLMInput(promptIds, padded ? promptMask : null, ComputeLogits: false, Prefix: prefix)).HiddenStates;  // (Q, P, C)

        var rowPrompt = groups.SelectMany((g, i) => Enumerable.Repeat((long)i, g.Completions.Count)).ToArray();
        var rowIndex = tensor(rowPrompt).to(Device);                                                       // (B)
        prefix.ShareWith(rowIndex);
        var attention = cat([promptMask.index_select(0, rowIndex), completionMask], 1);                    // (B, P + L)
        var hidden = module.call(new CausalLMInput(completionIds, attention, ComputeLogits: false, Prefix: prefix)).HiddenStates;  // (B, L, C)

        // Rows as the scorer reads them: the prompt's last token and state in front of each completion.
        var lastAt = tensor(groups.Select((g, i) => (long)i * longestPrompt + g.PromptIds.Length - 1).ToArray()).to(Device);
        var lastState = promptHidden.reshape(q * longestPrompt, -1).index_select(0, lastAt).index_select(0, rowIndex);   // (B, C)
        var lastToken = tensor(groups.SelectMany(g => Enumerable.Repeat((long)g.PromptIds[^1], g.Completions.Count)).ToArray()).to(Device);
        var states = cat([lastState.unsqueeze(1), hidden], 1);                                            // (B, 1 + L, C)
        var scoredIds = cat([lastToken.unsqueeze(1), completionIds], 1);                                  // (B, 1 + L)
        var scoredMask = nn.functional.pad(completionMask, [1, 0]);                                       // (B, 1 + L)
        var headWeight = module.lm_head?.weight ?? module.model.embed_tokens.weight!;
        return RowScores.FromTokens(CompletionTokenScorer.Score(states, headWeight, scoredIds, scoredMask, temperature), scoredMask);
    }

    /// <summary>Each prompt once, padded to the longest, then the completions padded to the longest: Q x P + B x L.</summary>
    public long ForwardTokens(IReadOnlyList<PromptCompletions> groups) =>
        (long)groups.Count * groups.Max(g => g.PromptIds.Length) + (long)groups.Sum(g => g.Completions.Count) * groups.Max(g => g.Longest);

    // One prompt is a batch of one: with its own seed it draws the stream Generation gives prompt 0 under that seed.
    public IReadOnlyList<SampledCompletion> Sample(int[] promptIds, SamplingRequest request, IProgress<int>? tokens, CancellationToken cancellation) =>
        SampleMany([promptIds], [request], tokens, cancellation)[0];

    /// <summary>
    /// All prompts in one batched decode (as `rlsc generate` does; the generator splits it only where the KV cache
    /// would pass its memory budget), each prompt keeping its own seed, so the completions are those of
    /// <see cref="Sample"/> one prompt at a time, up to the float rounding of a padded batch.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<SampledCompletion>> SampleMany(IReadOnlyList<int[]> prompts, IReadOnlyList<SamplingRequest> requests,
        IProgress<int>? tokens, CancellationToken cancellation)
    {
        if (prompts.Count == 0) return [];
        var first = requests[0];
        // Only the seed may differ between the requests of one batch; otherwise one prompt at a time.
        if (requests.Any(r => !SameExceptSeed(r, first)))
            return prompts.Select((prompt, i) => Sample(prompt, requests[i], tokens, cancellation)).ToList();
        var options = Options(first) with { PromptSeeds = requests.Select(r => r.Seed).ToArray() };
        var stops = Generation.StopsFor(model, options);
        var progress = tokens is null ? null : new SyncProgress<GenerationProgress>(p => tokens.Report((int)p.TokensGenerated));
        var generated = Generation.Generate(model.Module, prompts, options, stops, progress, cancellation);
        return generated.GroupBy(s => s.PromptIndex).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<SampledCompletion>)g.OrderBy(s => s.SampleIndex).Select(s => new SampledCompletion(s.TokenIds, s.Text, s.FinishReason)).ToList())
            .ToList();
    }

    static bool SameExceptSeed(SamplingRequest a, SamplingRequest b) =>
        a.Count == b.Count && a.Temperature == b.Temperature && a.TopP == b.TopP && a.TopK == b.TopK && a.MaxNewTokens == b.MaxNewTokens &&
        a.StopStrings.SequenceEqual(b.StopStrings);

    static GenerationOptions Options(SamplingRequest request) => new()
    {
        SamplesPerPrompt = request.Count,
        Temperature = (float)request.Temperature,
        TopP = (float)request.TopP,
        TopK = request.TopK,
        MaxNewTokens = request.MaxNewTokens,
        Seed = request.Seed,
        StopStrings = request.StopStrings,
    };

    public void Save(string directory) => model.Save(directory);

    public void Dispose()
    {
        model.Dispose();   // and its tokenizer
    }
}
