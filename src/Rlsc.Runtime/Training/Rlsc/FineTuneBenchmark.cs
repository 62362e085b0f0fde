using Rlsc.Runtime.Training.Plan;
using System.Diagnostics;
using System.Text.Json;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Loop;
using TorchSharp;

namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>What `rlsc bench finetune` measures.</summary>
public sealed record FineTuneBenchmarkOptions
{
    /// <summary>A model folder; null: a random model of <see cref="Preset"/> with Qwen2.5's tokenizer.</summary>
    public string? Model { get; init; }
    /// <summary>The model preset (ModelPresets) when no model folder is given. small: 47M parameters, Qwen2.5's vocabulary.</summary>
    public string Preset { get; init; } = "small";
    public int Steps { get; init; } = 4;
    public int Samples { get; init; } = 4;
    public int MaxNewTokens { get; init; } = 64;
    public int MicroBatchTokens { get; init; } = 4096;
    public bool Lora { get; init; }
    /// <summary>Torch intra-op threads (null: TorchSharp's default).</summary>
    public int? Threads { get; init; }
    /// <summary>cpu or cuda. On cuda the random model is written in bfloat16 (as the hub's checkpoints are) and the
    /// trainer's dtype rule applies: LoRA trains on bfloat16 base weights, full fine-tuning in float32.</summary>
    public TrainingDevice Device { get; init; } = TrainingDevice.Cpu;
    /// <summary>Scratch folder for the model and the run (deleted afterwards unless given).</summary>
    public string? WorkDirectory { get; init; }
}

/// <summary>One step's time split.</summary>
/// <param name="ForwardTokens">Tokens forwarded with gradients, padding included (tokens/forward_with_padding).</param>
public sealed record StepTiming(int Step, double SamplingSeconds, double ForwardBackwardSeconds, double OptimizerSeconds, double StepSeconds, double TokensSampled,
    double ForwardTokens = 0);

/// <summary>The measured steps and their means (the first step, which pays for warm-up, is left out of the means).</summary>
/// <param name="GpuUsedBytes">Device memory in use after the run (NVML: the caching allocator's reserved memory, which it
/// keeps, plus the CUDA context), or null on the CPU.</param>
/// <param name="Run">User and kernel CPU time of the whole run (load, steps, save) and the process's peak resident memory.</param>
/// <param name="MatmulGflops">The float32 matrix-product rate measured in the same process just before the run (<see cref="MatmulPeak"/>).</param>
/// <param name="ForwardBackwardGflop">Mean matrix-product work of one step's forward/backward (<see cref="TrainingFlops"/>).</param>
/// <param name="Plan">The estimated peak memory of the benchmarked configuration (<see cref="MemoryPlanner"/>), to set beside the measured peak.</param>
/// <param name="NativeHeapTuned">Whether glibc's malloc was tuned to keep freed memory (<see cref="Platform.NativeHeap"/>).</param>
public sealed record FineTuneBenchmarkResult(string Model, long Parameters, int Threads, IReadOnlyList<StepTiming> Steps, StepTiming Mean, double LoadAndSaveSeconds,
    Platform.ProcessResources Run = default, double MatmulGflops = 0, double ForwardBackwardGflop = 0, bool NativeHeapTuned = false,
    MemoryPlan? Plan = null, long? GpuUsedBytes = null)
{
    /// <summary>The forward/backward rate (GFLOP/s) over the steps after the first.</summary>
    public double ForwardBackwardGflops => Mean.ForwardBackwardSeconds > 0 ? ForwardBackwardGflop / Mean.ForwardBackwardSeconds : 0;
}

/// <summary>
/// Times RLSC steps of a small model on this machine, split into sampling, forward/backward and optimizer, by running
/// the real trainer and reading its metrics.jsonl (the same numbers a run logs).
/// </summary>
public static class FineTuneBenchmark
{
    static readonly string[] Questions =
    [
        "What is the sum of the first 20 positive integers?",
        "A rectangle has a perimeter of 30 and a width of 5. What is its area?",
        "How many positive divisors does 360 have?",
    ];

    public static FineTuneBenchmarkResult Run(FineTuneBenchmarkOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (options.Steps < 2) throw new RlscException(ErrorCodes.InvalidArgument, "--steps must be at least 2: the first step is warm-up and is not averaged.");
        if (options.Threads is int threads) torch.set_num_threads(threads);
        string work = options.WorkDirectory ?? Directory.CreateTempSubdirectory("rlsc-bench-").FullName;
        try
        {
            string model = options.Model ?? WriteRandomModel(Path.Combine(work, "model"), options.Preset,
                options.Device == TrainingDevice.Cuda ? "bfloat16" : "float32");
            string questions = Path.Combine(work, "questions.jsonl");
            File.WriteAllLines(questions, Questions.Select(q => JsonSerializer.Serialize(new { question = q })));
            var config = new FineTuneConfig
            {
                Model = model,
                Output = Path.Combine(work, "run-" + DateTime.UtcNow.Ticks),
                Device = options.Device,
                Data = { Suite = null, File = questions },
                Sampling = { SamplesPerQuestion = options.Samples, MaxNewTokens = options.MaxNewTokens },
                Loss = { Weighting = Weighting.Normalized },
                Training = { Steps = options.Steps, CheckpointEvery = 0, MicroBatchTokens = options.MicroBatchTokens, LogSamples = false },
                Lora = { Enabled = options.Lora },
            };
            bool tuned = Platform.NativeHeap.KeepFreedMemory();
            double matmul = MatmulPeak.Measure();
            var before = Platform.ProcessResources.Now();
            var clock = Stopwatch.StartNew();
            var summary = RlscTrainer.Run(config, new TrainingRunOptions { Progress = progress }, cancellation);
            double total = clock.Elapsed.TotalSeconds;
            long? gpuUsed = options.Device == TrainingDevice.Cuda ? Platform.GpuMemoryProbe.DeviceUsedBytes() : null;
            var resources = Platform.ProcessResources.Now().Since(before);

            var steps = File.ReadLines(Path.Combine(config.Output, "metrics.jsonl")).Select(line =>
            {
                var m = JsonDocument.Parse(line).RootElement;
                double Get(string key) => m.GetProperty(key).GetDouble();
                return new StepTiming(m.GetProperty("step").GetInt32(), Get("time/sampling_seconds"), Get("time/forward_backward_seconds"),
                    Get("time/optimizer_seconds"), Get("time/step_seconds"), Get("tokens/sampled"), Get("tokens/forward_with_padding"));
            }).ToList();
            var measured = steps.Skip(1).ToList();
            var mean = new StepTiming(0, measured.Average(s => s.SamplingSeconds), measured.Average(s => s.ForwardBackwardSeconds),
                measured.Average(s => s.OptimizerSeconds), measured.Average(s => s.StepSeconds), measured.Average(s => s.TokensSampled),
                measured.Average(s => s.ForwardTokens));
            long parameters;
            ModelConfig modelConfig;
            using (var loaded = CausalLM.Load(Path.Combine(config.Output, summary.FinalCheckpoint!)))
            {
                parameters = loaded.Module.parameters().Sum(p => p.numel());
                modelConfig = loaded.Config;
            }
            // The plan of exactly this run: the bench's longest prompt, the weights' dtype, this machine's memory.
            int promptTokens;
            using (var tokenizer = HfTokenizer.Load(model))
                promptTokens = Questions.Max(q => tokenizer.Encode(ChatTemplates.Render(config.Data.PromptTemplate, q)).Length);
            var plan = MemoryPlanner.Estimate(modelConfig, config, options.Lora, promptTokens, weightBytes: 4, MemoryPlanner.MachineMemoryBytes(), cuda: false);
            // Every sampled token is a scored row of the forward/backward pass.
            double gflop = TrainingFlops.ForwardBackward(modelConfig, mean.ForwardTokens, mean.TokensSampled) / 1e9;
            // Loading the model and saving the final checkpoint: the run's time outside its steps.
            double outside = total - steps.Sum(s => s.StepSeconds);
            return new FineTuneBenchmarkResult(options.Model ?? options.Preset, parameters, torch.get_num_threads(), steps, mean, outside,
                resources, matmul, gflop, tuned, plan, gpuUsed);
        }
        finally
        {
            if (options.WorkDirectory is null) Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A seeded random model of a preset with Qwen2.5's tokenizer (from the local mirror, the cache or its public source).</summary>
    static string WriteRandomModel(string directory, string preset, string dtype)
    {
        string tokenizerDirectory = PublicTokenizers.Qwen25Directory();
        using var tokenizer = HfTokenizer.Load(tokenizerDirectory);
        var config = ModelPresets.Get(preset).For(tokenizer.VocabSize);
        using var model = CausalLM.Create(config, tokenizerDirectory, seed: 1, new ModelLoadOptions(Device: "cpu", DType: dtype));
        model.Save(directory);
        return directory;
    }
}
