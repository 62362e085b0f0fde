using System.CommandLine;
using System.Text.Json.Nodes;
using Rlsc.Core;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Checkpoints;
using Rlsc.Runtime.Model.Safetensors;

namespace Rlsc.Cli.Commands;

/// <summary>
/// `rlsc init-model --config (PRESET | config.json) --tokenizer DIR --out DIR --seed N [--dtype] [--allow-large]
/// [--config-only]`: a randomly initialised model (transformers' init, seeded) written as a complete Hugging Face
/// checkpoint. Prints one JSON line describing it.
/// </summary>
public static class InitModelCommand
{
    /// <summary>Above this many parameters, materialising on the CPU needs --allow-large (a 1.5B model is 6 GB in float32).</summary>
    public const long LargeParameterCount = 1_000_000_000;

    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = $"A config.json path, or a preset: {string.Join(", ", ModelPresets.All.Select(p => p.Name))}.", Required = true };
        var tokenizer = new Option<string>("--tokenizer") { Description = "Folder with the tokenizer files to ship with the model (tokenizer.json, tokenizer_config.json).", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder (written atomically; an existing checkpoint there is replaced).", Required = true };
        var seed = new Option<long>("--seed") { Description = "Seed of the random initialisation.", DefaultValueFactory = _ => 0 };
        var dtype = new Option<string>("--dtype") { Description = "float32, bfloat16, float16, or auto (the config's torch_dtype).", DefaultValueFactory = _ => "float32" };
        var vocab = new Option<int?>("--vocab-size") { Description = "Override the vocabulary size (default: the preset's, or the tokenizer's rounded up to 64 for tiny/small)." };
        var allowLarge = new Option<bool>("--allow-large") { Description = $"Materialise models above {LargeParameterCount / 1_000_000_000}B parameters on the CPU (needs their full size in memory)." };
        var configOnly = new Option<bool>("--config-only") { Description = "Write config.json, generation_config.json and the tokenizer only, no weights." };
        var command = new Command("init-model", "Write a randomly initialised Qwen2 model of any shape (a preset or a config.json) as a Hugging Face checkpoint.")
        {
            config, tokenizer, output, seed, dtype, vocab, allowLarge, configOnly,
        };
        CommandAction.Set(command, parse =>
        {
            string tokenizerDir = parse.GetValue(tokenizer)!;
            using var tok = HfTokenizer.Load(tokenizerDir);
            var modelConfig = Resolve(parse.GetValue(config)!, tok);
            if (parse.GetValue(vocab) is int size) modelConfig = modelConfig with { VocabSize = size };
            var options = new ModelLoadOptions("cpu", parse.GetValue(dtype)!);
            var weightType = options.ResolveDType(modelConfig);
            modelConfig = modelConfig with { TorchDtype = SafetensorsDType.TorchDtypeName(weightType) };
            modelConfig.Validate(parse.GetValue(config)!);
            string outDir = Path.GetFullPath(parse.GetValue(output)!);
            long parameters = modelConfig.ParameterCount;
            bool weights = !parse.GetValue(configOnly);

            if (weights) CheckMemory(modelConfig, parameters, weightType, parse.GetValue(allowLarge));
            if (weights)
            {
                using var model = CausalLM.Create(modelConfig, tokenizerDir, parse.GetValue(seed), options);
                model.Save(outDir);
            }
            else
                CheckpointWriter.SaveConfigOnly(modelConfig, outDir, tok.Directory);

            var summary = new JsonObject
            {
                ["out"] = outDir,
                ["architecture"] = modelConfig.Architecture,
                ["parameters"] = parameters,
                ["dtype"] = modelConfig.TorchDtype,
                ["vocab_size"] = modelConfig.VocabSize,
                ["weights"] = weights,
                ["files"] = new JsonArray(Directory.GetFiles(outDir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).Select(f => (JsonNode?)f).ToArray()),
            };
            parse.InvocationConfiguration.Output.WriteLine(summary.ToJsonString());
            return 0;
        });
        return command;
    }

    // A preset name, else a config.json path. Presets fill the EOS/BOS ids from the tokenizer when they have none.
    static ModelConfig Resolve(string value, HfTokenizer tokenizer)
    {
        if (ModelPresets.Find(value) is { } preset)
        {
            var config = preset.For(tokenizer.VocabSize);
            if (config.EosTokenIds.Length == 0 && tokenizer.EosTokenIds.Count > 0)
                config = config with { EosTokenIds = [tokenizer.EosTokenIds[0]], BosTokenId = config.BosTokenId ?? tokenizer.PadTokenId };
            return config;
        }
        if (File.Exists(value) || Directory.Exists(value))
            return ModelConfig.Load(Directory.Exists(value) ? Path.Combine(value, "config.json") : value);
        throw new RlscException(ErrorCodes.InvalidArgument,
            $"--config '{value}' is neither a preset ({string.Join(", ", ModelPresets.All.Select(p => p.Name))}) nor an existing config.json.");
    }

    static void CheckMemory(ModelConfig config, long parameters, TorchSharp.torch.ScalarType dtype, bool allowLarge)
    {
        long bytes = parameters * (dtype == TorchSharp.torch.ScalarType.Float32 ? 4 : 2);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (parameters > LargeParameterCount && !allowLarge)
            throw new RlscException(ErrorCodes.ModelTooLarge,
                $"{config.Architecture} with {parameters / 1e9:F2}B parameters needs {bytes / 1e9:F1} GB to materialise on the CPU; " +
                "pass --allow-large if this machine has the memory, or --config-only to write the config and tokenizer without weights.");
        if (bytes > available * 0.8)
            throw new RlscException(ErrorCodes.ModelTooLarge,
                $"{parameters / 1e9:F2}B parameters need {bytes / 1e9:F1} GB but this machine has {available / 1e9:F1} GB available; use --config-only or a smaller dtype (--dtype bfloat16).");
    }
}
