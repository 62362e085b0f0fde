using Rlsc.Model.Checkpoints;
using Rlsc.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlsc.Model;

/// <summary>
/// A causal language model ready to run: config, weights on a device, and the folder its tokenizer files come
/// from. <see cref="Load"/> reads a Hugging Face folder; <see cref="Create"/> makes a seeded random model;
/// <see cref="Save"/> writes a complete Hugging Face checkpoint atomically.
/// </summary>
public sealed class CausalLM : IDisposable
{
    CausalLM(ModelConfig config, Qwen2ForCausalLM module, string? sourceDirectory)
    {
        Config = config;
        Module = module;
        SourceDirectory = sourceDirectory;
    }

    public ModelConfig Config { get; }
    /// <summary>The TorchSharp module; its parameters are named like the checkpoint keys.</summary>
    public Qwen2ForCausalLM Module { get; }
    public Device Device => Module.Device;
    public ScalarType DType => Module.DType;
    /// <summary>The folder tokenizer files and generation_config.json are read from and copied on save.</summary>
    public string? SourceDirectory { get; }

    /// <summary>Loads config.json and the safetensors weights of a Hugging Face model folder.</summary>
    public static CausalLM Load(string directory, ModelLoadOptions? options = null, IProgress<(int Done, int Total)>? progress = null)
    {
        options ??= new ModelLoadOptions();
        if (!System.IO.Directory.Exists(directory))
            throw new RlscException(ErrorCodes.FileNotFound, "model folder not found.", directory);
        TorchLoader.EnsureLoaded();
        var config = ModelConfig.Load(Path.Combine(directory, "config.json"));
        using var files = CheckpointFiles.Open(directory);
        var module = new Qwen2ForCausalLM(config, options.ResolveDevice(), options.ResolveDType(config));
        try
        {
            CheckpointLoader.Load(module, files, progress);
        }
        catch
        {
            module.Dispose();
            throw;
        }
        module.eval();
        return new CausalLM(config, module, Path.GetFullPath(directory));
    }

    /// <summary>A randomly initialised model (see <see cref="ModelInitializer"/>) using the tokenizer files of <paramref name="tokenizerDirectory"/>.</summary>
    public static CausalLM Create(ModelConfig config, string tokenizerDirectory, long seed, ModelLoadOptions? options = null)
    {
        options ??= new ModelLoadOptions();
        config.Validate("model config");
        if (!System.IO.Directory.Exists(tokenizerDirectory))
            throw new RlscException(ErrorCodes.FileNotFound, "tokenizer folder not found.", tokenizerDirectory);
        TorchLoader.EnsureLoaded();
        var module = new Qwen2ForCausalLM(config, options.ResolveDevice(), options.ResolveDType(config));
        ModelInitializer.Initialize(module, seed);
        module.eval();
        return new CausalLM(config, module, Path.GetFullPath(tokenizerDirectory));
    }

    /// <summary>Writes a complete Hugging Face checkpoint (see <see cref="CheckpointWriter"/>).</summary>
    public void Save(string directory, long? maxShardBytes = null)
    {
        var options = new CheckpointWriteOptions { SourceDirectory = SourceDirectory };
        if (maxShardBytes is long max) options = options with { MaxShardBytes = max };
        CheckpointWriter.Save(Module, directory, options);
    }

    public void Dispose() => Module.Dispose();
}
