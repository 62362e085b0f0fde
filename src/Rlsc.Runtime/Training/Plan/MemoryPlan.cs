using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;

namespace Rlsc.Runtime.Training.Plan;

/// <summary>One part of a run's peak memory.</summary>
/// <param name="Phase">"always", "sampling" or "training": the two phases never hold their parts at the same time.</param>
public sealed record MemoryPart(string Name, string Phase, long Bytes, string Basis);

/// <summary>The estimated peak memory of one RLSC step, by part, and whether it fits a device.</summary>
public sealed record MemoryPlan(string Method, IReadOnlyList<MemoryPart> Parts, long DeviceBytes)
{
    long Phase(string phase) => Parts.Where(p => p.Phase == phase).Sum(p => p.Bytes);

    /// <summary>What is always held plus the larger of the sampling and the training phase.</summary>
    public long PeakBytes => Phase("always") + Math.Max(Phase("sampling"), Phase("training"));

    public bool Fits => PeakBytes <= DeviceBytes;
}

/// <summary>
/// Estimates a step's peak memory from the model's shape and the run's configuration, the way one sizes a run
/// before renting a GPU: weights; gradients and the two AdamW moments of the trained parameters (float32);
/// during sampling, the KV cache of the sequences decoded at once up to max_new_tokens and their logits; during
/// training, the activations a micro-batch keeps for backward and the chunked LM head's two (chunk x V) buffers.
/// The activation and runtime figures are estimates (documented beside each part); checked on CPU against the
/// measured peak resident memory of `rlsc bench finetune` (docs/training.md).
/// </summary>
public static class MemoryPlanner
{
    /// <summary>libtorch, the .NET runtime and the tokenizer, resident before any tensor: measured here (CPU) at ~0.4 GB.</summary>
    public const long CpuRuntimeBytes = 400L << 20;
    /// <summary>A CUDA context and libtorch's kernels on the GPU: ~0.5 GB.</summary>
    public const long CudaRuntimeBytes = 512L << 20;

    /// <param name="model">The model's config.json.</param>
    /// <param name="config">The run configuration (samples, questions per step, max_new_tokens, micro-batch budget, LoRA).</param>
    /// <param name="lora">Plan for LoRA (true) or full fine-tuning (false), whatever the configuration says.</param>
    /// <param name="promptTokens">Typical prompt length in tokens (template included).</param>
    /// <param name="weightBytes">Bytes per weight: 4 (float32) or 2 (bfloat16 frozen base weights under LoRA).</param>
    /// <param name="deviceBytes">Memory of the device (CPU: the machine's; GPU: the card's).</param>
    /// <param name="cuda">Whether the device is a GPU (its runtime overhead and attention kernels differ).</param>
    public static MemoryPlan Estimate(ModelConfig model, FineTuneConfig config, bool lora, int promptTokens, int weightBytes, long deviceBytes, bool cuda)
    {
        long c = model.HiddenSize, layers = model.NumHiddenLayers, vocab = model.VocabSize, inter = model.IntermediateSize;
        long q = (long)model.NumAttentionHeads * model.HeadDim, kv = (long)model.NumKeyValueHeads * model.HeadDim;
        long parameters = model.ParameterCount;
        long trained = lora ? LoraParameters(model, config.Lora) : parameters;
        long sequence = promptTokens + config.Sampling.MaxNewTokens;
        long rows = (long)config.Training.QuestionsPerStep * config.Sampling.SamplesPerQuestion;

        var parts = new List<MemoryPart>
        {
            new("weights", "always", parameters * weightBytes + (lora ? trained * 4 : 0),
                $"{parameters / 1e6:0.#}M parameters x {weightBytes} B" + (lora ? $" + {trained / 1e6:0.##}M adapter parameters x 4 B" : "")),
            new("gradients", "always", trained * 4, $"{trained / 1e6:0.##}M trained parameters x 4 B (float32)"),
            new("optimizer state", "always", trained * 8, "AdamW's two moments, float32"),
            new("runtime", "always", cuda ? CudaRuntimeBytes : CpuRuntimeBytes, cuda ? "CUDA context and kernels" : "libtorch + .NET, measured"),
        };

        // Sampling: the generator decodes as many sequences at once as keep the KV cache within its budget.
        long kvPerSequence = 2 * layers * kv * sequence * weightBytes;
        long decoded = Math.Min(rows, Math.Clamp(Sampling.Generation.AutomaticCacheBudgetBytes / Math.Max(1, kvPerSequence), 1, 256));
        parts.Add(new("KV cache", "sampling", decoded * kvPerSequence,
            $"{decoded} sequences decoded at once x {sequence} tokens x {layers} layers x 2 x {kv} x {weightBytes} B"));
        parts.Add(new("decode logits", "sampling", decoded * vocab * 4 * 3, $"{decoded} x {vocab} float32, logits + probabilities + sampler temporaries"));

        // Training: one forward of the loss phase, the step's questions packed (each prompt once, then its samples'
        // completions) up to training.micro_batch_tokens; a question's rows over the budget run alone, a row at least.
        long stepTokens = (long)config.Training.QuestionsPerStep * (promptTokens + (long)config.Sampling.SamplesPerQuestion * config.Sampling.MaxNewTokens);
        long mbTokens = Math.Max(sequence, Math.Min(config.Training.MicroBatchTokens, stepTokens));
        // Kept for backward per token and layer: two norms' outputs, q/k/v, attention output, o_proj input, residuals
        // (~6 C + q + 2 kv) and the MLP's gate, up, activation and product (4 I); float32 while training.
        long perTokenLayer = (6 * c + q + 2 * kv + 4 * inter) * 4;
        // CPU attention (SDPA's math path) keeps the (heads x T x T) probabilities; GPU kernels recompute them.
        long attention = cuda ? 0 : model.NumAttentionHeads * sequence * 4;
        parts.Add(new("activations", "training", mbTokens * layers * (perTokenLayer + attention) + mbTokens * c * 4 * 4,
            $"micro-batch of {mbTokens} tokens (prompts once, completions padded) x {layers} layers"));
        long chunkRows = Math.Clamp(ChunkedTokenLogProbs.DefaultChunkElements / vocab, 1, mbTokens);
        parts.Add(new("logits", "training", 2 * chunkRows * vocab * 4 + mbTokens * c * 4 * 2,
            $"chunked LM head: 2 x {chunkRows} x {vocab} float32 (a full-logit path would hold ~4 x {mbTokens} x {vocab} x 4 B = {4 * mbTokens * vocab * 4 / 1e9:0.0} GB)"));
        return new MemoryPlan(lora ? "LoRA" : "full fine-tuning", parts, deviceBytes);
    }

    /// <summary>r (in + out) per adapted projection and layer.</summary>
    static long LoraParameters(ModelConfig m, LoraOptions options)
    {
        long c = m.HiddenSize, q = (long)m.NumAttentionHeads * m.HeadDim, kv = (long)m.NumKeyValueHeads * m.HeadDim, i = m.IntermediateSize;
        long PerTarget(string name) => name switch
        {
            "q_proj" => c + q,
            "k_proj" or "v_proj" => c + kv,
            "o_proj" => q + c,
            "gate_proj" or "up_proj" or "down_proj" => c + i,
            _ => 0,
        };
        return m.NumHiddenLayers * options.Rank * options.Targets.Sum(PerTarget);
    }

    /// <summary>The memory of this machine (MemTotal in /proc/meminfo); 0 where unknown.</summary>
    public static long MachineMemoryBytes()
    {
        const string meminfo = "/proc/meminfo";
        if (!File.Exists(meminfo)) return 0;
        foreach (var line in File.ReadLines(meminfo))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0]) * 1024;
        return 0;
    }

    /// <summary>The plan as a Markdown table, the parts and the verdict.</summary>
    public static string Table(MemoryPlan plan)
    {
        static string G(long b) => (b / (1024.0 * 1024 * 1024)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        var w = new StringWriter();
        w.WriteLine($"Memory plan, {plan.Method}:");
        w.WriteLine();
        w.WriteLine("| part | phase | GiB | basis |");
        w.WriteLine("|---|---|---:|---|");
        foreach (var p in plan.Parts) w.WriteLine($"| {p.Name} | {p.Phase} | {G(p.Bytes)} | {p.Basis} |");
        w.WriteLine($"| **peak** | | **{G(plan.PeakBytes)}** | always + max(sampling, training) |");
        w.WriteLine();
        w.WriteLine(plan.DeviceBytes > 0
            ? $"{plan.Method}: {(plan.Fits ? "fits" : "does NOT fit")} in {G(plan.DeviceBytes)} GiB."
            : $"{plan.Method}: device memory unknown.");
        return w.ToString();
    }
}
