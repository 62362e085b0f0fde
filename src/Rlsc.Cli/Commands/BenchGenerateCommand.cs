using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Rlsc.Core;
using Rlsc.Core.IO;
using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Sampling;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc bench generate`: prefill and decode tokens/s, ms per decode step at several context lengths, batched vs
/// single sequences, the samplers, peak memory; a Markdown table on stdout (docs/model.md shows one), the raw
/// numbers with --json. Speed is measured here, never asserted in tests.
/// </summary>
public static class BenchGenerateCommand
{
    public static Command Create()
    {
        var defaults = new GenerationBenchmarkOptions();
        var presets = new Option<string>("--presets") { Description = "Comma-separated presets to measure (tiny, small, lmhead-bench, qwen2.5-math-1.5b, ...).", DefaultValueFactory = _ => string.Join(",", defaults.Presets) };
        var batch = new Option<int>("--batch") { Description = "Sequences decoded together.", DefaultValueFactory = _ => defaults.Batch };
        var prompt = new Option<int>("--prompt") { Description = "Prompt length.", DefaultValueFactory = _ => defaults.Prompt };
        var contexts = new Option<string>("--contexts") { Description = "Comma-separated context lengths at which a decode step is timed.", DefaultValueFactory = _ => string.Join(",", defaults.Contexts) };
        var steps = new Option<int>("--steps") { Description = "Decode steps timed per context.", DefaultValueFactory = _ => defaults.Steps };
        var newTokens = new Option<int>("--new-tokens") { Description = "Tokens generated in the batched-vs-single comparison.", DefaultValueFactory = _ => defaults.NewTokens };
        var skipUncached = new Option<bool>("--skip-uncached") { Description = "Do not time a step without the KV cache (a forward over the whole context) at each context length." };
        var samplerVocab = new Option<int>("--sampler-vocab") { Description = "Vocabulary size of the sampler comparison.", DefaultValueFactory = _ => defaults.SamplerVocab };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => defaults.Device };
        var dtype = new Option<string>("--dtype") { Description = "float32, bfloat16, float16 or auto.", DefaultValueFactory = _ => defaults.DType };
        var threads = new Option<int?>("--threads") { Description = "Torch intra-op threads (default: torch's choice, the number of cores)." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the results as JSON to this file." };
        var command = new Command("generate", "Prefill and decode speed, decode cost vs context length, batched vs single sequences, samplers, memory.")
        {
            presets, batch, prompt, contexts, steps, newTokens, skipUncached, samplerVocab, device, dtype, threads, json,
        };
        CommandAction.Set(command, (parse, cancellation) =>
        {
            var options = new GenerationBenchmarkOptions
            {
                Presets = parse.GetValue(presets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Batch = parse.GetValue(batch),
                Prompt = parse.GetValue(prompt),
                Contexts = ParseInts(parse.GetValue(contexts)!, "--contexts"),
                Steps = parse.GetValue(steps),
                NewTokens = parse.GetValue(newTokens),
                SamplerVocab = parse.GetValue(samplerVocab),
                CompareUncached = !parse.GetValue(skipUncached),
                Device = parse.GetValue(device)!,
                DType = parse.GetValue(dtype)!,
            };
            if (options.Batch < 1 || options.Prompt < 1 || options.Steps < 2 || options.NewTokens < 1 || options.SamplerVocab < 2)
                throw new RlscException(ErrorCodes.InvalidArgument, "--batch, --prompt and --new-tokens must be at least 1, --steps and --sampler-vocab at least 2.");
            TorchLoader.EnsureLoaded();
            if (parse.GetValue(threads) is int n) TorchSharp.torch.set_num_threads(n);
            GenerationBenchmarkResult result;
            try
            {
                result = GenerationBenchmark.Run(options, line => Console.Error.WriteLine(line), cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw new RlscException(ErrorCodes.Interrupted, "the benchmark was interrupted.");
            }
            parse.InvocationConfiguration.Output.Write(Markdown(result));
            if (parse.GetValue(json) is { } file)
                AtomicFile.WriteAllText(file.FullName, JsonSerializer.Serialize(result, RlscJson.EscapedOutput) + "\n");
            return Task.FromResult(0);
        });
        return command;
    }

    static int[] ParseInts(string text, string option) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0 ? v
                : throw new RlscException(ErrorCodes.InvalidArgument, $"{option}: '{s}' is not a positive integer."))
            .ToArray();

    static string Markdown(GenerationBenchmarkResult r)
    {
        var s = new StringBuilder();
        s.AppendLine($"Device {r.Device}, {r.Threads} threads. Wall time: minimum over repetitions (median); cpu: median CPU time of the calling thread");
        s.AppendLine("(all of the work when --threads 1: the cost on an idle machine).");
        s.AppendLine();
        s.AppendLine($"| sampler (batch {r.Batch}, {r.SamplerVocab:N0} logits) | wall ms | cpu ms |");
        s.AppendLine("|---|---|---|");
        string Row(string name, TimingStats t) => $"| {name} | {t.MinMs:F2} ({t.MedianMs:F2}) | {t.CpuMedianMs:F2} |";
        foreach (var x in r.Samplers) s.AppendLine(Row(x.Method, x.Time));
        s.AppendLine(Row($"floor: LM head matmul, hidden 64 x {r.SamplerVocab:N0}", r.LmHeadMatmul));
        s.AppendLine(Row("floor: softmax", r.Softmax));
        foreach (var p in r.Presets)
        {
            s.AppendLine();
            s.AppendLine($"**{p.Preset}** ({p.Parameters / 1e6:F1}M parameters, {p.DType}, batch {p.Batch}): prefill {p.Batch}x{p.Prompt} in {p.Prefill.MinMs:F1} ms " +
                         $"({p.PrefillTokensPerSecond:F0} tokens/s); {p.Batch} sequences batched {p.BatchedTokensPerSecond:F0} tokens/s vs one at a time " +
                         $"{p.SingleTokensPerSecond:F0} tokens/s ({p.BatchedTokensPerSecond / p.SingleTokensPerSecond:F1}x); weights {p.WeightBytes / 1e6:F0} MB, " +
                         $"KV cache at the longest context {p.KvCacheBytesAtLongestContext / 1e6:F0} MB, peak RSS so far {p.PeakRssBytes / 1e6:F0} MB" +
                         (p.PeakGpuUsedBytes is long gpu ? $", GPU memory in use at most {gpu / 1e6:F0} MB (NVML: reserved + CUDA context)." : "."));
            s.AppendLine();
            s.AppendLine("| context | decode step wall ms | cpu ms | tokens/s (wall min) | without the cache, ms |");
            s.AppendLine("|---|---|---|---|---|");
            foreach (var d in p.Decode)
                s.AppendLine($"| {d.Context} | {d.Step.MinMs:F2} ({d.Step.MedianMs:F2}) | {d.Step.CpuMedianMs:F2} | {d.TokensPerSecond:F0} | {(d.UncachedMs is double u ? u.ToString("F1", CultureInfo.InvariantCulture) : "-")} |");
            if (p.Preset == "lmhead-bench" && p.Decode.Count > 0 && r.SamplerVocab == 151936)
            {
                // Issue 3's target: one step within 2x of the floor (the LM head's matmul and a softmax), measured in the same run.
                double floor = r.LmHeadMatmul.MinMs + r.Softmax.MinMs, floorCpu = r.LmHeadMatmul.CpuMedianMs + r.Softmax.CpuMedianMs;
                var first = p.Decode[0];
                s.AppendLine();
                s.AppendLine($"Target case: a decode step at context {first.Context} takes {first.Step.MinMs:F2} ms = {first.Step.MinMs / floor:F2}x the floor " +
                             $"({floor:F2} ms: LM head {r.LmHeadMatmul.MinMs:F2} + softmax {r.Softmax.MinMs:F2}); in thread CPU time {first.Step.CpuMedianMs:F2} ms = {first.Step.CpuMedianMs / floorCpu:F2}x.");
            }
        }
        return s.ToString();
    }
}
