using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Platform;

namespace Rlsc.Runtime.Sampling;

/// <summary>What `rlsc bench generate` measures; defaults are issue 3's target case.</summary>
public sealed record GenerationBenchmarkOptions
{
    /// <summary>Model shapes (presets) to measure, with random weights.</summary>
    public IReadOnlyList<string> Presets { get; init; } = ["lmhead-bench", "small"];
    /// <summary>Sequences decoded together.</summary>
    public int Batch { get; init; } = 16;
    /// <summary>Prompt length of the prefill and of the batched-vs-single comparison.</summary>
    public int Prompt { get; init; } = 64;
    /// <summary>Context lengths at which one cached decode step is timed (flat cost = the cache works).</summary>
    public IReadOnlyList<int> Contexts { get; init; } = [64, 256, 1024, 2048];
    /// <summary>Decode steps timed per context (the median and the minimum are reported).</summary>
    public int Steps { get; init; } = 12;
    /// <summary>New tokens in the batched-vs-single comparison.</summary>
    public int NewTokens { get; init; } = 16;
    /// <summary>Vocabulary of the tokenizer the small presets are sized for (Qwen2.5's 151,665 ids).</summary>
    public int TokenizerVocab { get; init; } = 151665;
    /// <summary>Also time one step without the cache (the whole context recomputed) at each context length.</summary>
    public bool CompareUncached { get; init; } = true;
    /// <summary>Vocabulary of the sampler comparison (the full Qwen2.5 one by default).</summary>
    public int SamplerVocab { get; init; } = 151936;
    public string Device { get; init; } = "cpu";
    public string DType { get; init; } = "float32";
}

/// <summary>Wall-clock minimum and median, and the median CPU time of the calling thread (all of the work when torch
/// runs one thread: the cost on an idle machine, whatever the load).</summary>
public sealed record TimingStats(double MinMs, double MedianMs, double CpuMedianMs)
{
    public static TimingStats Of(IReadOnlyList<double> wallMs, IReadOnlyList<double> cpuMs)
    {
        var sorted = wallMs.Order().ToArray();
        var cpu = cpuMs.Order().ToArray();
        return new TimingStats(sorted[0], sorted[sorted.Length / 2], cpu[cpu.Length / 2]);
    }
}

/// <param name="UncachedMs">One step without the KV cache (a forward over the whole context), or null when not measured.</param>
public sealed record DecodeTiming(int Context, TimingStats Step, double TokensPerSecond, double? UncachedMs);

public sealed record PresetResult(
    string Preset, long Parameters, string DType, int Batch, int Prompt,
    TimingStats Prefill, double PrefillTokensPerSecond,
    IReadOnlyList<DecodeTiming> Decode,
    double BatchedTokensPerSecond, double SingleTokensPerSecond,
    long WeightBytes, long KvCacheBytesAtLongestContext, long PeakRssBytes, long? PeakGpuUsedBytes = null);

public sealed record SamplerResult(string Method, TimingStats Time);

public sealed record GenerationBenchmarkResult(
    int Threads, string Device, int Batch, int SamplerVocab, IReadOnlyList<SamplerResult> Samplers, TimingStats LmHeadMatmul, TimingStats Softmax,
    IReadOnlyList<PresetResult> Presets);

/// <summary>
/// Speed of generation on random-weight models: prefill tokens/s, one cached decode step (model + sampler) at
/// several context lengths, batch-16 vs 16 single-sequence runs, the samplers over the full Qwen2.5 vocabulary,
/// and memory. Minima are the best estimate of the cost on a shared machine; medians show the noise.
/// </summary>
public static class GenerationBenchmark
{
    public static GenerationBenchmarkResult Run(GenerationBenchmarkOptions options, Action<string> log, CancellationToken cancellation = default)
    {
        TorchLoader.EnsureLoaded();
        var load = new ModelLoadOptions(options.Device, options.DType);
        var device = load.ResolveDevice();
        timedDevice = device;
        using var noGrad = no_grad();
        log($"bench: {get_num_threads()} threads, {device}");
        var (samplers, matmul, softmax) = Samplers(options.Batch, options.SamplerVocab, device, log);
        var presets = new List<PresetResult>();
        foreach (string name in options.Presets)
        {
            cancellation.ThrowIfCancellationRequested();
            presets.Add(Preset(ModelPresets.Get(name), options, load, log, cancellation));
        }
        return new GenerationBenchmarkResult(get_num_threads(), device.ToString(), options.Batch, options.SamplerVocab, samplers, matmul, softmax, presets);
    }

    // The device the timed actions run on: each timing ends with a synchronize there (CUDA runs kernels asynchronously),
    // and the device memory in use is sampled after it. One benchmark runs at a time on a thread.
    [ThreadStatic] static Device? timedDevice;
    [ThreadStatic] static long? peakGpuUsed;

    static void EndOfTimedWork()
    {
        if (timedDevice is null || timedDevice.type != DeviceType.CUDA) return;
        GpuMemoryProbe.Synchronize(timedDevice);
        if (GpuMemoryProbe.DeviceUsedBytes(timedDevice.index < 0 ? 0 : timedDevice.index) is long used)
            peakGpuUsed = Math.Max(peakGpuUsed ?? 0, used);
    }

    static TimingStats Time(int repetitions, Action action)
    {
        action();  // warm-up
        EndOfTimedWork();
        var wall = new List<double>(repetitions);
        var cpu = new List<double>(repetitions);
        for (int i = 0; i < repetitions; i++)
        {
            using var scope = NewDisposeScope();
            double cpuStart = ThreadCpuClock.NowMs();
            var clock = Stopwatch.StartNew();
            action();
            EndOfTimedWork();
            wall.Add(clock.Elapsed.TotalMilliseconds);
            cpu.Add(ThreadCpuClock.NowMs() - cpuStart);
        }
        return TimingStats.Of(wall, cpu);
    }

    // The sampling methods on (B, V) logits, and the floor of a step: the LM head of a hidden-64 model and a softmax.
    static (List<SamplerResult>, TimingStats, TimingStats) Samplers(int batch, int vocab, Device device, Action<string> log)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(1);
        var logits = (3 * randn([batch, vocab], generator: generator)).to(device);
        var uniforms = rand(batch, generator: generator).to(device);
        var head = (0.1 * randn([vocab, 64], generator: generator)).to(device);
        var hidden = randn([batch, 64], generator: generator).to(device);
        const int reps = 20;
        var results = new List<SamplerResult>
        {
            new("multinomial (torch.multinomial on softmax)", Time(reps, () => logits.softmax(-1).multinomial(1, false, generator))),
            new("gumbel-max (argmax of p / Exp(1) noise)", Time(reps, () => (logits.softmax(-1) / empty_like(logits).exponential_(1, generator)).argmax(-1))),
            new("inverse CDF, full cumsum", Time(reps, () =>
            {
                var cdf = logits.softmax(-1).cumsum(-1);
                searchsorted(cdf, uniforms.unsqueeze(-1) * cdf.narrow(1, vocab - 1, 1), right: true);
            })),
            new("two-level inverse CDF (TokenSampler)", Time(reps, () => TokenSampler.Sample(logits, 1, 1, 0, uniforms))),
            new("TokenSampler top-p 0.95", Time(reps, () => TokenSampler.Sample(logits, 1, 0.95f, 0, uniforms))),
            new("TokenSampler greedy", Time(reps, () => TokenSampler.Sample(logits, 0, 1, 0, uniforms))),
        };
        foreach (var r in results) log($"bench: sampler {r.Method}: {r.Time.MinMs:F2} ms (median {r.Time.MedianMs:F2}, thread cpu {r.Time.CpuMedianMs:F2})");
        var matmul = Time(reps, () => nn.functional.linear(hidden, head));
        var softmax = Time(reps, () => logits.softmax(-1));
        log($"bench: floor: LM head (B={batch}, hidden 64, V={vocab}) {matmul.MinMs:F2} ms, softmax {softmax.MinMs:F2} ms");
        return (results, matmul, softmax);
    }

    static PresetResult Preset(ModelPreset preset, GenerationBenchmarkOptions options, ModelLoadOptions load, Action<string> log, CancellationToken cancellation)
    {
        var config = preset.For(options.TokenizerVocab);
        var dtype = load.ResolveDType(config);
        long weightBytes = config.ParameterCount * (dtype == ScalarType.Float32 ? 4 : 2);
        log($"bench: {preset.Name}: {config.ParameterCount / 1e6:F1}M parameters, {weightBytes / 1e9:F2} GB of {dtype}");
        using var module = new Qwen2ForCausalLM(config, load.ResolveDevice(), dtype);
        ModelInitializer.Initialize(module, seed: 1);
        module.eval();
        var device = module.Device;
        int b = options.Batch;
        var generator = new Generator(2);
        Tensor Ids(int length) => randint(0, config.VocabSize, [b, length], dtype: ScalarType.Int64, generator: generator).to(device);

        // Prefill: the whole prompt in one forward, logits of the last position only.
        var prompt = Ids(options.Prompt);
        var prefill = Time(3, () =>
        {
            using var cache = new KVCache(config.NumHiddenLayers, options.Prompt);
            module.call(new CausalLMInput(prompt, Cache: cache, LogitsToKeep: 1));
        });
        double prefillRate = b * options.Prompt / (prefill.MinMs / 1000);
        log($"bench: {preset.Name}: prefill {b}x{options.Prompt}: {prefill.MinMs:F1} ms ({prefillRate:F0} tokens/s)");

        // One decode step (forward of one token per row + sampling) after a prefill of `context` tokens.
        var decode = new List<DecodeTiming>();
        long kvBytes = 0;
        foreach (int context in options.Contexts)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            // Unpadded rows, as when sampling N completions of one prompt: no attention mask, as Generation does.
            using var cache = new KVCache(config.NumHiddenLayers, context + options.Steps + 2);
            var logits = module.call(new CausalLMInput(Ids(context), Cache: cache, LogitsToKeep: 1)).Logits!.select(1, 0);
            var times = new List<double>();
            var cpuTimes = new List<double>();
            for (int step = 0; step < options.Steps; step++)
            {
                using var stepScope = NewDisposeScope();
                double cpuStart = ThreadCpuClock.NowMs();
                var clock = Stopwatch.StartNew();
                var uniforms = rand(b, generator: generator).to(device);
                var (tokens, _) = TokenSampler.Sample(logits, 1, 1, 0, uniforms);
                var next = module.call(new CausalLMInput(tokens.unsqueeze(1), Cache: cache, LogitsToKeep: 1)).Logits!.select(1, 0);
                _ = tokens.cpu().data<long>()[0];  // the step ends when the host has the tokens
                times.Add(clock.Elapsed.TotalMilliseconds);
                cpuTimes.Add(ThreadCpuClock.NowMs() - cpuStart);
                logits = next.MoveToOuterDisposeScope();
            }
            var stats = TimingStats.Of(times.Skip(1).ToList(), cpuTimes.Skip(1).ToList());
            double? uncached = null;
            if (options.CompareUncached)
            {
                // What a step costs without a cache: the whole context through the model again.
                using var full = NewDisposeScope();
                var ids = Ids(context + 1);
                var clock = Stopwatch.StartNew();
                module.call(new CausalLMInput(ids, LogitsToKeep: 1));
                EndOfTimedWork();
                uncached = clock.Elapsed.TotalMilliseconds;
            }
            decode.Add(new DecodeTiming(context, stats, b / (stats.MinMs / 1000), uncached));
            kvBytes = 2L * config.NumHiddenLayers * b * config.NumKeyValueHeads * config.HeadDim * (context + options.Steps) * (dtype == ScalarType.Float32 ? 4 : 2);
            log($"bench: {preset.Name}: decode step at context {context}: {stats.MinMs:F2} ms (median {stats.MedianMs:F2}, thread cpu {stats.CpuMedianMs:F2}), {b / (stats.MinMs / 1000):F0} tokens/s{(uncached is double u ? $"; without the cache {u:F1} ms" : "")}");
        }

        // Batch of B sequences vs B runs of one sequence, same prompts and token count, prefill included.
        var prompts = Enumerable.Range(0, b).Select(i => prompt[i].cpu().data<long>().Select(x => (int)x).ToArray()).ToList();
        var genOptions = new GenerationOptions { MaxNewTokens = options.NewTokens, Temperature = 1, Seed = 3 };
        var none = new StopCriteria([], [], null);
        var clockBatch = Stopwatch.StartNew();
        Generation.Generate(module, prompts, genOptions, none, cancellation: cancellation);
        EndOfTimedWork();
        double batched = b * options.NewTokens / clockBatch.Elapsed.TotalSeconds;
        var clockSingle = Stopwatch.StartNew();
        foreach (var p in prompts) Generation.Generate(module, [p], genOptions, none, cancellation: cancellation);
        EndOfTimedWork();
        double single = b * options.NewTokens / clockSingle.Elapsed.TotalSeconds;
        log($"bench: {preset.Name}: {b} sequences x {options.NewTokens} tokens: batched {batched:F0} tokens/s, one at a time {single:F0} tokens/s ({batched / single:F1}x)");

        return new PresetResult(preset.Name, config.ParameterCount, dtype.ToString().ToLowerInvariant(), b, options.Prompt, prefill, prefillRate,
            decode, batched, single, weightBytes, kvBytes, PeakRss(), peakGpuUsed);
    }

    /// <summary>The process's peak resident memory (VmHWM), or -1 where /proc is not available.</summary>
    public static long PeakRss()
    {
        try
        {
            string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
