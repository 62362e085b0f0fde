using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Model.Checkpoints;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Platform;

namespace Rlsc.Runtime.Model;

/// <summary>
/// A causal language model ready to run: config, weights on a device, and its tokenizer. <see cref="Load"/> reads a Hugging Face folder; <see cref="Create"/> makes a seeded random model;
/// <see cref="Save"/> writes a complete Hugging Face checkpoint atomically.
/// </summary>
public sealed class CausalLM : IDisposable
{
    CausalLM(ModelConfig config, Qwen2ForCausalLM module, HfTokenizer tokenizer)
    {
        Config = config;
        Module = module;
        Tokenizer = tokenizer;
    }

    public ModelConfig Config { get; }
    /// <summary>The TorchSharp module; its parameters are named like the checkpoint keys.</summary>
    public Qwen2ForCausalLM Module { get; }
    public Device Device => Module.Device;
    public ScalarType DType => Module.DType;
    public HfTokenizer Tokenizer { get; }
    /// <summary>The folder tokenizer files and generation_config.json are read from and copied on save.</summary>
    public string SourceDirectory => Tokenizer.Directory;

    /// <summary>
    /// Ids that end a completion: config.json's eos_token_id and the tokenizer's EOS ids (its eos_token,
    /// &lt;|im_end|&gt; and &lt;|endoftext|&gt; when the vocabulary has them).
    /// </summary>
    public IReadOnlyList<int> EosTokenIds => Config.EosTokenIds.Concat(Tokenizer.EosTokenIds).Distinct().ToList();

    /// <summary>Loads config.json, the safetensors weights and the tokenizer of a Hugging Face model folder.</summary>
    public static CausalLM Load(string directory, ModelLoadOptions? options = null, IProgress<(int Done, int Total)>? progress = null)
    {
        options ??= new ModelLoadOptions();
        if (!System.IO.Directory.Exists(directory))
            throw new RlscException(ErrorCodes.FileNotFound, "model folder not found.", directory);
        TorchLoader.EnsureLoaded();
        var config = ModelConfig.Load(Path.Combine(directory, "config.json"));
        var tokenizer = LoadTokenizer(directory, config, Path.Combine(directory, "config.json"));
        try
        {
            return new CausalLM(config, LoadModule(directory, config, options, progress), tokenizer);
        }
        catch
        {
            tokenizer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The module alone from config.json and the safetensors weights of a Hugging Face folder (no tokenizer needed):
    /// the loading path of <see cref="Load"/>, for folders that hold only a model.
    /// </summary>
    public static Qwen2ForCausalLM LoadModule(string directory, ModelLoadOptions? options = null, IProgress<(int Done, int Total)>? progress = null)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new RlscException(ErrorCodes.FileNotFound, "model folder not found.", directory);
        TorchLoader.EnsureLoaded();
        return LoadModule(directory, ModelConfig.Load(Path.Combine(directory, "config.json")), options ?? new ModelLoadOptions(), progress);
    }

    static Qwen2ForCausalLM LoadModule(string directory, ModelConfig config, ModelLoadOptions options, IProgress<(int Done, int Total)>? progress)
    {
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
        return module;
    }

    /// <summary>A randomly initialised model (see <see cref="ModelInitializer"/>) using the tokenizer files of <paramref name="tokenizerDirectory"/>.</summary>
    public static CausalLM Create(ModelConfig config, string tokenizerDirectory, long seed, ModelLoadOptions? options = null)
    {
        options ??= new ModelLoadOptions();
        config.Validate("model config");
        var tokenizer = LoadTokenizer(tokenizerDirectory, config, "model config");
        TorchLoader.EnsureLoaded();
        var module = new Qwen2ForCausalLM(config, options.ResolveDevice(), options.ResolveDType(config));
        ModelInitializer.Initialize(module, seed);
        module.eval();
        return new CausalLM(config, module, tokenizer);
    }

    // The tokenizer must not produce ids past the embedding (Qwen pads the embedding beyond the tokenizer, never less).
    static HfTokenizer LoadTokenizer(string directory, ModelConfig config, string configOrigin)
    {
        var tokenizer = HfTokenizer.Load(directory);
        if (tokenizer.VocabSize > config.VocabSize)
            throw new RlscException(ErrorCodes.ModelConfigInvalid,
                $"the tokenizer has {tokenizer.VocabSize} ids but the model's vocab_size is {config.VocabSize}: ids past the embedding could not be looked up. " +
                "Use the tokenizer the model was made with, or a vocab_size of at least the tokenizer's.", configOrigin);
        return tokenizer;
    }

    /// <summary>Writes a complete Hugging Face checkpoint (see <see cref="CheckpointWriter"/>).</summary>
    public void Save(string directory, long? maxShardBytes = null)
    {
        var options = new CheckpointWriteOptions { SourceDirectory = SourceDirectory };
        if (maxShardBytes is long max) options = options with { MaxShardBytes = max };
        CheckpointWriter.Save(Module, directory, options);
    }

    public void Dispose()
    {
        Module.Dispose();
        Tokenizer.Dispose();
    }
}
