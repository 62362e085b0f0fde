using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Runtime.Model.Modules;

namespace Rlsc.Runtime.Sampling;

/// <summary>One prompt's share of a batch: samples [FirstSample, FirstSample + Samples).</summary>
internal sealed record PromptUnit(int PromptIndex, int[] PromptIds, int FirstSample, int Samples);

/// <summary>
/// Decodes one batch: left-pads the prompts, prefills them once, repeats each prompt's KV cache for its samples,
/// then samples one token per step for every unfinished sequence. Finished sequences are dropped from the batch
/// (their rows removed from the cache) so that late steps only pay for the sequences still running.
/// </summary>
internal sealed class BatchDecoder(Qwen2ForCausalLM module, GenerationOptions options, StopCriteria stops)
{
    /// <param name="onStep">After each step: sequences still running, tokens sampled in the step, and the units
    /// (prompt sample ranges) whose sequences all finished in it.</param>
    public List<GeneratedSequence> Run(IReadOnlyList<PromptUnit> units, Action<int, long, IReadOnlyList<PromptUnit>> onStep, CancellationToken cancellation)
    {
        int samples = units[0].Samples;
        int rows = units.Count * samples;
        var tokens = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, rows).Select(_ => new List<float>()).ToArray();
        var finish = new string?[rows];
        var rowToSequence = Enumerable.Range(0, rows).ToArray();  // active row -> sequence (unit * samples + sample)

        using var noGrad = no_grad();
        int promptLength = units.Max(u => u.PromptIds.Length);
        // A sequence ends at MaxNewTokens or at the model's context window, whichever comes first (as vLLM does).
        var limits = units.SelectMany(u => Enumerable.Repeat(Math.Min(options.MaxNewTokens, module.Config.MaxPositionEmbeddings - u.PromptIds.Length), samples)).ToArray();
        int maxNew = limits.Max();
        int capacity = promptLength + maxNew;
        // Without padding (equal prompts, or one prompt and its samples: the RLSC case) no mask is needed at all:
        // positions are 0..S-1 and attention is plainly causal, which takes SDPA's faster unmasked path per step.
        bool padded = units.Any(u => u.PromptIds.Length != promptLength);
        using var cache = options.UseCache ? new KVCache(module.Config.NumHiddenLayers, capacity) : null;
        var device = module.Device;
        Tensor ids, mask, logits;  // ids and mask: (B, capacity) buffers, the first `length` columns in use
        int length = promptLength;
        using (var prefill = NewDisposeScope())
        {
            var (promptIds, promptMask) = LeftPad(units.Select(u => u.PromptIds).ToList(), device);  // (P, L) each
            logits = module.call(new CausalLMInput(promptIds, padded ? promptMask : null, Cache: cache, LogitsToKeep: 1)).Logits!.select(1, 0);  // (P, V)
            ids = cat([promptIds, zeros([promptIds.shape[0], maxNew], dtype: ScalarType.Int64, device: device)], 1);
            mask = cat([promptMask, ones([promptIds.shape[0], maxNew], dtype: ScalarType.Int64, device: device)], 1);
            if (samples > 1)
            {
                // N samples share the prefill: repeat each prompt's row (and its cache) N times.
                cache?.RepeatInterleave(samples);
                logits = logits.repeat_interleave(samples, dim: 0);
                mask = mask.repeat_interleave(samples, dim: 0);
                ids = ids.repeat_interleave(samples, dim: 0);
            }
            (ids, mask, logits) = (ids.DetachFromDisposeScope(), mask.DetachFromDisposeScope(), logits.DetachFromDisposeScope());
        }

        // Every row's uniform for every step, uploaded once: a per-step upload from pageable memory is a host sync.
        var uniformTable = UniformTable(units, samples, maxNew, device);  // (B, maxNew)
        try
        {
            for (int step = 0; step < maxNew; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                int active = rowToSequence.Length;
                var uniforms = uniformTable.select(1, step);                  // (B)
                // A row without a finite maximum (NaN, +inf, or all -inf) cannot be sampled from: it is replaced by zeros for
                // the draw and its flag travels back with the tokens, so the check costs no host sync of its own.
                var rowFinite = isfinite(logits.amax([-1], keepdim: true));   // (B, 1)
                var drawable = where(rowFinite, logits, zeros_like(logits));
                var (next, nextLogProbs) = TokenSampler.Sample(drawable, options.Temperature, options.TopP, options.TopK, uniforms);
                // Tokens, log-probabilities and the finiteness flags come back in one copy (one sync per step): ids < 2^53
                // and float32 values are exact in float64.
                double[] read = stack([next.to_type(ScalarType.Float64), nextLogProbs.to_type(ScalarType.Float64),
                    rowFinite.squeeze(-1).to_type(ScalarType.Float64)]).cpu().data<double>().ToArray();
                if (read.AsSpan(2 * active, active).Contains(0.0))
                    NonFiniteOutput.ThrowNonFiniteLogits($"generation step {step + 1}");
                long[] nextIds = read.AsSpan(0, active).ToArray().Select(x => (long)x).ToArray();
                float[] nextLps = read.AsSpan(active, active).ToArray().Select(x => (float)x).ToArray();
                NonFiniteOutput.Check(nextLps, $"generation step {step + 1}");

                var keep = new List<int>(active);
                for (int row = 0; row < active; row++)
                {
                    int sequence = rowToSequence[row];
                    tokens[sequence].Add((int)nextIds[row]);
                    logProbs[sequence].Add(nextLps[row]);
                    finish[sequence] = stops.Check(tokens[sequence]) ?? (tokens[sequence].Count >= limits[sequence] ? FinishReasons.Length : null);
                    if (finish[sequence] is null) keep.Add(row);
                }
                var unitsDone = units.Where((u, i) => Enumerable.Range(i * samples, samples).All(q => finish[q] is not null)
                                                       && rowToSequence.Any(q => q / samples == i)).ToList();
                onStep(keep.Count, active, unitsDone);
                if (keep.Count == 0) break;

                var input = next.unsqueeze(1);                                   // (B, 1)
                if (keep.Count < active)
                {
                    // Finished sequences leave the batch: later steps only pay for the running ones.
                    var kept = tensor(keep.Select(r => (long)r).ToArray(), device: device);
                    input = input.index_select(0, kept);
                    Replace(ref mask, mask.index_select(0, kept));
                    Replace(ref ids, ids.index_select(0, kept));
                    Replace(ref uniformTable, uniformTable.index_select(0, kept));
                    cache?.Select(kept);
                    rowToSequence = keep.Select(r => rowToSequence[r]).ToArray();
                }
                ids.narrow(1, length, 1).copy_(input);
                length++;
                var stepMask = padded ? mask.narrow(1, 0, length) : null;     // (B, S)
                var stepLogits = cache is not null
                    ? module.call(new CausalLMInput(input, stepMask, Cache: cache, LogitsToKeep: 1)).Logits!
                    // The reference path: the whole sequence again, no cache.
                    : module.call(new CausalLMInput(ids.narrow(1, 0, length), stepMask, LogitsToKeep: 1)).Logits!;
                Replace(ref logits, stepLogits.select(1, 0));                   // (B, V)
            }
        }
        finally
        {
            uniformTable.Dispose();
            ids.Dispose();
            mask.Dispose();
            logits.Dispose();
        }

        var results = new List<GeneratedSequence>(rows);
        for (int u = 0; u < units.Count; u++)
            for (int s = 0; s < samples; s++)
            {
                int sequence = u * samples + s;
                string reason = finish[sequence] ?? FinishReasons.Length;
                results.Add(new GeneratedSequence(units[u].PromptIndex, units[u].FirstSample + s, tokens[sequence].ToArray(),
                    logProbs[sequence].ToArray(), stops.Text(tokens[sequence], reason), reason));
            }
        return results;
    }

    /// <summary>(rows, steps) float32 on <paramref name="device"/>: SampleStream's uniform of each sequence at each step.</summary>
    Tensor UniformTable(IReadOnlyList<PromptUnit> units, int samples, int steps, Device device)
    {
        var values = new float[units.Count * samples * steps];
        for (int q = 0; q < units.Count * samples; q++)
        {
            var unit = units[q / samples];
            for (int step = 0; step < steps; step++)
                values[q * steps + step] = Uniform(unit, unit.FirstSample + q % samples, step);
        }
        return tensor(values, [units.Count * samples, steps]).to(device);
    }

    // With per-prompt seeds each prompt draws the stream it would draw alone (as prompt 0 of its own call).
    float Uniform(PromptUnit unit, int sample, int step) => options.PromptSeeds is { } seeds
        ? SampleStream.Uniform(seeds[unit.PromptIndex], 0, sample, step)
        : SampleStream.Uniform(options.Seed, unit.PromptIndex, sample, step);

    // Keeps a tensor that lives across steps out of the step's dispose scope, freeing the one it replaces.
    static void Replace(ref Tensor slot, Tensor value)
    {
        var old = slot;
        slot = value.DetachFromDisposeScope();
        if (!ReferenceEquals(old, slot)) old.Dispose();
    }

    /// <summary>Prompts left-padded to a common length: ids (P, L) int64 (padding id 0, masked out) and mask (P, L).</summary>
    internal static (Tensor Ids, Tensor Mask) LeftPad(IReadOnlyList<int[]> prompts, Device device)
    {
        int length = prompts.Max(p => p.Length);
        var ids = new long[prompts.Count * length];
        var mask = new long[prompts.Count * length];
        for (int i = 0; i < prompts.Count; i++)
        {
            int offset = i * length + length - prompts[i].Length;
            for (int t = 0; t < prompts[i].Length; t++)
            {
                ids[offset + t] = prompts[i][t];
                mask[offset + t] = 1;
            }
        }
        return (tensor(ids, [prompts.Count, length]).to(device), tensor(mask, [prompts.Count, length]).to(device));
    }
}
