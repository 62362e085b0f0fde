using Rlsc.Runtime.Training.Plan;
using System.CommandLine;
using System.Globalization;
using Rlsc.Cli.Training;
using Rlsc.Core.Config;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Rlsc;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc bench ...`: measurements anyone can rerun. `rlsc bench finetune` times RLSC steps of a small model on this
/// machine, split into sampling, forward/backward and optimizer (docs/training.md has the numbers and the command).
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks that anyone can rerun on their machine.");
        bench.Subcommands.Add(FineTune());
        bench.Subcommands.Add(BenchGenerateCommand.Create());
        return bench;
    }

    static Command FineTune()
    {
        var model = new Option<string?>("--model") { Description = "A model folder to benchmark (default: a random model of --preset)." };
        var preset = new Option<string>("--preset") { Description = "Model preset when no --model is given (small: 47M parameters with Qwen2.5's vocabulary).", DefaultValueFactory = _ => "small" };
        var steps = new Option<int>("--steps") { Description = "Steps to run; the first (warm-up) is not averaged.", DefaultValueFactory = _ => 4 };
        var samples = new Option<int>("--samples") { Description = "Completions per question, N.", DefaultValueFactory = _ => 4 };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Completion length limit.", DefaultValueFactory = _ => 64 };
        var microBatch = new Option<int>("--micro-batch-tokens") { Description = "Forward/backward token budget.", DefaultValueFactory = _ => 4096 };
        var lora = new Option<bool>("--lora") { Description = "Train LoRA adapters instead of all weights." };
        var threads = new Option<int?>("--threads") { Description = "Torch intra-op threads (default: TorchSharp's)." };
        var device = new Option<string>("--device") { Description = "cpu or cuda (on cuda the random model is bfloat16).", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var plan = new Option<bool>("--plan") { Description = "Also print the estimated peak memory by part (weights, optimizer, gradients, KV cache, activations, logits) beside the measured peak." };
        var progress = TrainingCommandShared.ProgressOption();

        var command = new Command("finetune", "Time RLSC steps on this machine: sampling, forward/backward and optimizer, mean over the steps after the first.")
        {
            model, preset, steps, samples, maxNewTokens, microBatch, lora, threads, device, plan, progress,
        };
        CommandAction.Set(command, parse =>
        {
            var options = new FineTuneBenchmarkOptions
            {
                Model = parse.GetValue(model),
                Preset = parse.GetValue(preset)!,
                Steps = parse.GetValue(steps),
                Samples = parse.GetValue(samples),
                MaxNewTokens = parse.GetValue(maxNewTokens),
                MicroBatchTokens = parse.GetValue(microBatch),
                Lora = parse.GetValue(lora),
                Threads = parse.GetValue(threads),
                Device = parse.GetValue(device) == "cuda" ? TrainingDevice.Cuda : TrainingDevice.Cpu,
            };
            FineTuneBenchmarkResult result;
            using (var display = new TrainingDisplay(TrainingDisplay.Parse(parse.GetValue(progress)!)))
            using (var signal = InterruptSignal.Register(display.Message))
                result = FineTuneBenchmark.Run(options, display, signal.Token);
            Console.Write(Table(result, options));
            if (parse.GetValue(plan) && result.Plan is { } estimate)
            {
                Console.WriteLine();
                Console.Write(MemoryPlanner.Table(estimate));
            }
            return 0;
        });
        return command;
    }

    /// <summary>The result as a Markdown table (pasteable into docs/training.md).</summary>
    public static string Table(FineTuneBenchmarkResult r, FineTuneBenchmarkOptions o)
    {
        static string S(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        var w = new StringWriter();
        w.WriteLine($"model {r.Model} ({r.Parameters / 1e6:0.0}M parameters), {o.Samples} samples x {o.MaxNewTokens} new tokens, {(o.Lora ? "LoRA" : "full fine-tuning")}, {r.Threads} threads");
        w.WriteLine();
        w.WriteLine("| step | sampling s | forward/backward s | optimizer s | step s | tokens sampled |");
        w.WriteLine("|---|---|---|---|---|---|");
        foreach (var s in r.Steps)
            w.WriteLine($"| {s.Step}{(s.Step == 1 ? " (warm-up)" : "")} | {S(s.SamplingSeconds)} | {S(s.ForwardBackwardSeconds)} | {S(s.OptimizerSeconds)} | {S(s.StepSeconds)} | {s.TokensSampled:0} |");
        var m = r.Mean;
        w.WriteLine($"| mean of steps 2-{r.Steps.Count} | {S(m.SamplingSeconds)} | {S(m.ForwardBackwardSeconds)} | {S(m.OptimizerSeconds)} | {S(m.StepSeconds)} | {m.TokensSampled:0} |");
        w.WriteLine();
        w.WriteLine($"Share of a step: sampling {100 * m.SamplingSeconds / m.StepSeconds:0}%, forward/backward {100 * m.ForwardBackwardSeconds / m.StepSeconds:0}%, optimizer {100 * m.OptimizerSeconds / m.StepSeconds:0}%. Loading the model and saving the final checkpoint: {S(r.LoadAndSaveSeconds)} s." +
            (r.GpuUsedBytes is long gpu ? $" GPU memory in use after the run: {gpu / 1e9:0.00} GB (NVML: reserved + CUDA context)." : ""));
        w.WriteLine();
        w.WriteLine($"Forward/backward: {r.ForwardBackwardGflop:0.0} GFLOP per step (matrix products, useful work), {r.ForwardBackwardGflops:0.0} GFLOP/s = " +
                    $"{100 * r.ForwardBackwardGflops / r.MatmulGflops:0}% of the float32 matmul peak measured in this run, {r.MatmulGflops:0.0} GFLOP/s.");
        w.WriteLine($"CPU time of the run: user {S(r.Run.UserSeconds)} s, sys {S(r.Run.SystemSeconds)} s (sys = {100 * r.Run.SystemSeconds / Math.Max(r.Run.UserSeconds, 1e-9):0}% of user); " +
                    $"peak resident memory {r.Run.PeakResidentBytes / (1024.0 * 1024 * 1024):0.00} GiB" +
                    (r.Plan is { } plan ? $" (planned {plan.PeakBytes / (1024.0 * 1024 * 1024):0.00} GiB)" : "") + $"; native heap {(r.NativeHeapTuned ? "tuned (freed memory kept)" : "glibc default")}.");
        return w.ToString();
    }
}
