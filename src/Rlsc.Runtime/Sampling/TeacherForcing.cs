using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Runtime.Model.Modules;

namespace Rlsc.Runtime.Sampling;

/// <summary>A batch for teacher forcing: ids, attention mask and completion mask, each (B, T).</summary>
public sealed record TeacherForcingBatch(Tensor InputIds, Tensor AttentionMask, Tensor CompletionMask) : IDisposable
{
    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        CompletionMask.Dispose();
    }
}

/// <summary>
/// Teacher-forced log-probabilities of given tokens: log p(token t | tokens before t) under
/// log_softmax(logits / T), the same quantity <see cref="TokenSampler"/> reports for the tokens it samples, so
/// scoring a sampled completion at the sampling temperature gives back its sampled log-probs.
/// One function serves both uses: the RLSC trainer calls it with gradients on (log p_theta(y|x) = the sum over
/// completion tokens), `rlsc score` under no_grad.
/// </summary>
public static class TeacherForcing
{
    /// <summary>Rows of the (N, V) float32 log-softmax computed at once without gradients (bounds memory: ~0.6 GB at V = 152K).</summary>
    const long RowsPerChunk = 1024;

    /// <param name="module">The model.</param>
    /// <param name="inputIds">(B, T) int64: prompt and completion tokens, padding anywhere the mask says.</param>
    /// <param name="attentionMask">(B, T): 1 for real tokens, 0 for padding (left or right).</param>
    /// <param name="completionMask">(B, T): 1 for the tokens to score (the completion), 0 for prompt and padding.</param>
    /// <param name="temperature">T &gt; 0; the logits are divided by it before the log-softmax.</param>
    /// <returns>(B, T) float32 (float64 for a float64 model): log p of token t given the tokens before it, 0 where completionMask is 0 (and at
    /// t = 0, which nothing predicts). Differentiable with respect to the parameters when gradients are on.</returns>
    public static Tensor TokenLogProbs(Qwen2ForCausalLM module, Tensor inputIds, Tensor attentionMask, Tensor completionMask, float temperature)
    {
        if (!(temperature > 0) || !float.IsFinite(temperature))
            throw new RlscException(ErrorCodes.InvalidArgument, $"temperature is {temperature}; teacher forcing needs a positive temperature (greedy decoding reports log-probs at 1).");
        using var scope = NewDisposeScope();
        long b = inputIds.shape[0], t = inputIds.shape[1];
        var device = module.Device;
        inputIds = inputIds.to(device);
        attentionMask = attentionMask.to(device);
        var dtype = module.DType == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        var hidden = module.call(new CausalLMInput(inputIds, attentionMask, ComputeLogits: false)).HiddenStates;  // (B, T, C)
        if (t < 2) return zeros([b, t], dtype: dtype, device: device).MoveToOuterDisposeScope();

        // Position t-1 predicts token t: only the rows whose next token is scored go through the LM head.
        var scored = completionMask.to(device).narrow(1, 1, t - 1).to(ScalarType.Bool)
            .logical_and(attentionMask.narrow(1, 1, t - 1).to(ScalarType.Bool)).reshape(-1);         // (B*(T-1))
        var rows = scored.nonzero().squeeze(1);                                                    // (N)
        var states = hidden.narrow(1, 0, t - 1).reshape(b * (t - 1), -1).index_select(0, rows);    // (N, C)
        var targets = inputIds.narrow(1, 1, t - 1).reshape(-1).index_select(0, rows);              // (N)
        var logProbs = is_grad_enabled()
            ? Gathered(module, states, targets, temperature, dtype)
            : cat(Chunks(states.shape[0]).Select(c => Gathered(module, states.narrow(0, c.Start, c.Length), targets.narrow(0, c.Start, c.Length), temperature, dtype)).ToArray(), 0);
        var flat = zeros(b * (t - 1), dtype: dtype, device: device).index_add(0, rows, logProbs, 1);  // (B*(T-1))
        var shifted = flat.reshape(b, t - 1);
        return cat([zeros([b, 1], dtype: dtype, device: device), shifted], 1).MoveToOuterDisposeScope();  // (B, T)
    }

    // log_softmax(head(states) / T) at the targets: (N).
    static Tensor Gathered(Qwen2ForCausalLM module, Tensor states, Tensor targets, float temperature, ScalarType dtype)
    {
        var logits = module.Logits(states).to(dtype) / temperature;  // (N, V), at least float32
        return logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1) - logits.logsumexp(-1, keepdim: false);
    }

    static IEnumerable<(long Start, long Length)> Chunks(long rows)
    {
        if (rows == 0) yield return (0, 0);
        for (long start = 0; start < rows; start += RowsPerChunk)
            yield return (start, Math.Min(RowsPerChunk, rows - start));
    }

    /// <summary>Prompt + completion pairs right-padded into one batch on <paramref name="device"/> (padding id 0).</summary>
    public static TeacherForcingBatch Batch(IReadOnlyList<(int[] Prompt, int[] Completion)> pairs, Device? device = null)
    {
        int length = pairs.Max(p => p.Prompt.Length + p.Completion.Length);
        var ids = new long[pairs.Count * length];
        var mask = new long[pairs.Count * length];
        var completion = new long[pairs.Count * length];
        for (int i = 0; i < pairs.Count; i++)
        {
            var (prompt, answer) = pairs[i];
            for (int t = 0; t < prompt.Length + answer.Length; t++)
            {
                ids[i * length + t] = t < prompt.Length ? prompt[t] : answer[t - prompt.Length];
                mask[i * length + t] = 1;
                completion[i * length + t] = t < prompt.Length ? 0 : 1;
            }
        }
        device ??= CPU;
        return new TeacherForcingBatch(tensor(ids, [pairs.Count, length]).to(device), tensor(mask, [pairs.Count, length]).to(device),
            tensor(completion, [pairs.Count, length]).to(device));
    }

    /// <summary>
    /// Per-token log-probs of each completion given its prompt (no gradients), in batches of
    /// <paramref name="batchSize"/>: what `rlsc score` reports.
    /// </summary>
    /// <param name="checkpoint">The model's folder, named by the error when its log-probs are not finite.</param>
    public static IReadOnlyList<float[]> Score(Qwen2ForCausalLM module, IReadOnlyList<(int[] Prompt, int[] Completion)> pairs, float temperature, int batchSize = 8,
        string? checkpoint = null)
    {
        for (int i = 0; i < pairs.Count; i++)
            if (pairs[i].Prompt.Length == 0)
                throw new RlscException(ErrorCodes.InvalidArgument, $"pair {i} has an empty prompt; the first completion token needs at least one token before it.");
        var results = new List<float[]>(pairs.Count);
        using var noGrad = no_grad();
        for (int start = 0; start < pairs.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = pairs.Skip(start).Take(batchSize).ToList();
            using var batch = Batch(chunk, module.Device);
            var logProbs = TokenLogProbs(module, batch.InputIds, batch.AttentionMask, batch.CompletionMask, temperature).cpu();  // (B, T)
            for (int i = 0; i < chunk.Count; i++)
            {
                int p = chunk[i].Prompt.Length, c = chunk[i].Completion.Length;
                float[] scores = logProbs[i].narrow(0, p, c).to(ScalarType.Float32).data<float>().ToArray();
                NonFiniteOutput.Check(scores, $"scoring pair {start + i}", checkpoint);
                results.Add(scores);
            }
        }
        return results;
    }
}
