using System.CommandLine;
using Rlsc.Core.Hub;
using Rlsc.Runtime.Model;

namespace Rlsc.Cli;

/// <summary>The --model, --device and --dtype options of the commands that run a model (generate, score).</summary>
public sealed class ModelOptions
{
    public readonly Option<string> Model = new("--model") { Description = "Model folder (Hugging Face layout: config.json, safetensors, tokenizer) or a hub id like Qwen/Qwen2.5-Math-1.5B.", Required = true };
    public readonly Option<string> Device = new("--device") { Description = "auto, cpu, cuda or cuda:N (default cpu).", DefaultValueFactory = _ => "cpu" };
    public readonly Option<string> DType = new("--dtype") { Description = "Weight precision: float32, bfloat16, float16, or auto (config.json's torch_dtype).", DefaultValueFactory = _ => "float32" };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Device);
        command.Options.Add(DType);
    }

    /// <summary>Resolves --model (fetching a hub id) and loads it with a line on stderr.</summary>
    public CausalLM Load(ParseResult parse, CancellationToken cancellation)
    {
        string folder = ModelSource.Resolve(parse.GetValue(Model)!, progress: HubProgressPrinter.ForConsole(), cancellation: cancellation);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var model = CausalLM.Load(folder, new ModelLoadOptions(parse.GetValue(Device)!, parse.GetValue(DType)!), new LoadProgress(Console.Error, !Console.IsErrorRedirected));
        Console.Error.WriteLine($"model: {folder}: {model.Config.Architecture}, {model.Config.ParameterCount / 1e6:F1}M parameters, " +
                                $"{model.DType.ToString().ToLowerInvariant()} on {model.Device}, loaded in {started.Elapsed.TotalSeconds:F1} s");
        return model;
    }
}

/// <summary>Tensors loaded so far: a redrawn line on a terminal, a line per 10% when stderr is redirected.</summary>
sealed class LoadProgress(TextWriter error, bool interactive) : IProgress<(int Done, int Total)>
{
    int shownTenth = -1;

    public void Report((int Done, int Total) value)
    {
        int tenth = 10 * value.Done / Math.Max(1, value.Total);
        if (interactive)
        {
            error.Write($"\rmodel: loading tensors {value.Done}/{value.Total}");
            if (value.Done == value.Total) error.WriteLine();
        }
        else if (tenth > shownTenth)
        {
            shownTenth = tenth;
            error.WriteLine($"model: loading tensors {value.Done}/{value.Total} ({tenth * 10}%)");
        }
    }
}
