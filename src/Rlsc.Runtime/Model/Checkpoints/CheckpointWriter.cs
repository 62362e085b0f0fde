using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Model.Safetensors;
using Rlsc.Core.Tokenization;

namespace Rlsc.Runtime.Model.Checkpoints;

/// <summary>Options of <see cref="CheckpointWriter.Save"/>.</summary>
public sealed record CheckpointWriteOptions
{
    /// <summary>Shard above this many bytes of weights; HF's save_pretrained default, "5GB" = 5e9 bytes.</summary>
    public long MaxShardBytes { get; init; } = 5_000_000_000;
    /// <summary>Where tokenizer files and generation_config.json are copied from (the model's source folder); null: none.</summary>
    public string? SourceDirectory { get; init; }
}

/// <summary>
/// Writes a complete Hugging Face checkpoint: config.json, model.safetensors (or shards
/// model-00001-of-0000N.safetensors plus model.safetensors.index.json), generation_config.json and the tokenizer
/// files of the source folder. Everything is written into a temporary sibling folder which then replaces the
/// destination, so a reader never sees a half-written checkpoint, whatever interrupts the write.
/// </summary>
public static class CheckpointWriter
{
    public static void Save(Qwen2ForCausalLM module, string directory, CheckpointWriteOptions? options = null)
    {
        options ??= new CheckpointWriteOptions();
        WriteAtomically(directory, folder => WriteInto(module, folder, options));
    }

    /// <summary>
    /// A checkpoint folder without weights: config.json, generation_config.json and the tokenizer files. For shapes
    /// too large to materialise here (`rlsc init-model --config-only`); it does not load until weights are added.
    /// </summary>
    public static void SaveConfigOnly(ModelConfig config, string directory, string? sourceDirectory)
    {
        config.Validate("model config");
        WriteAtomically(directory, folder =>
        {
            config.Save(Path.Combine(folder, "config.json"));
            WriteGenerationConfig(config, sourceDirectory, Path.Combine(folder, "generation_config.json"));
            CopyTokenizer(sourceDirectory, folder);
        });
    }

    static void WriteAtomically(string directory, Action<string> write)
    {
        directory = Path.GetFullPath(directory);
        string parent = Path.GetDirectoryName(directory)!;
        System.IO.Directory.CreateDirectory(parent);
        if (System.IO.Directory.Exists(directory) && System.IO.Directory.EnumerateFileSystemEntries(directory).Any()
            && !File.Exists(Path.Combine(directory, "config.json")))
            throw new RlscException(ErrorCodes.InvalidArgument,
                "the destination folder is not empty and holds no checkpoint; refusing to replace it. Choose an empty or new folder.", directory);

        string temporary = Path.Combine(parent, $".{Path.GetFileName(directory)}.tmp-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(temporary);
        try
        {
            write(temporary);
            Replace(temporary, directory);
        }
        catch
        {
            if (System.IO.Directory.Exists(temporary)) System.IO.Directory.Delete(temporary, recursive: true);
            throw;
        }
    }

    static void WriteInto(Qwen2ForCausalLM module, string folder, CheckpointWriteOptions options)
    {
        var tensors = module.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        var shards = Shard(tensors, options.MaxShardBytes);
        if (shards.Count == 1)
            SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), shards[0]);
        else
        {
            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < shards.Count; i++)
            {
                string name = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
                SafetensorsWriter.Write(Path.Combine(folder, name), shards[i]);
                foreach (var (tensorName, _) in shards[i]) weightMap[tensorName] = name;
            }
            new SafetensorsIndex(tensors.Sum(t => Bytes(t.Item2)), weightMap).Save(Path.Combine(folder, SafetensorsIndex.FileName));
        }

        (module.Config with { TorchDtype = SafetensorsDType.TorchDtypeName(module.DType) }).Save(Path.Combine(folder, "config.json"));
        WriteGenerationConfig(module.Config, options.SourceDirectory, Path.Combine(folder, "generation_config.json"));
        CopyTokenizer(options.SourceDirectory, folder);
    }

    static void CopyTokenizer(string? sourceDirectory, string folder)
    {
        if (sourceDirectory is null) return;
        foreach (string file in HfTokenizer.CheckpointFiles)
        {
            string source = Path.Combine(sourceDirectory, file);
            if (!File.Exists(source)) continue;
            string copy = Path.Combine(folder, file);
            File.Copy(source, copy);
            File.SetAttributes(copy, FileAttributes.Normal);  // a read-only source (a shared mirror) must not make the checkpoint read-only
        }
    }

    // huggingface_hub's rule: tensors in order; a new shard when the next tensor would overflow a non-empty one;
    // a tensor larger than the limit gets a shard of its own.
    static List<List<(string, Tensor)>> Shard(List<(string Name, Tensor Tensor)> tensors, long maxBytes)
    {
        var shards = new List<List<(string, Tensor)>> { new() };
        long current = 0;
        foreach (var (name, tensor) in tensors)
        {
            long size = Bytes(tensor);
            if (current + size > maxBytes && shards[^1].Count > 0)
            {
                shards.Add([]);
                current = 0;
            }
            shards[^1].Add((name, tensor));
            current += size;
        }
        return shards;
    }

    static long Bytes(Tensor t) => t.numel() * t.element_size();

    // generation_config.json: the source's own if it has one (it carries sampling defaults), else bos/eos from config.
    static void WriteGenerationConfig(ModelConfig config, string? sourceDirectory, string path)
    {
        string? source = sourceDirectory is null ? null : Path.Combine(sourceDirectory, "generation_config.json");
        if (source is not null && File.Exists(source))
        {
            File.Copy(source, path);
            File.SetAttributes(path, FileAttributes.Normal);
            return;
        }
        var node = new JsonObject();
        if (config.BosTokenId is int bos) node["bos_token_id"] = bos;
        if (config.EosTokenIds.Length > 0)
            node["eos_token_id"] = config.EosTokenIds.Length == 1 ? config.EosTokenIds[0] : new JsonArray(config.EosTokenIds.Select(i => (JsonNode?)i).ToArray());
        File.WriteAllText(path, node.ToJsonString(HfJson.Indented) + "\n");
    }

    // Swaps the finished folder in: an existing checkpoint is moved aside first and deleted after, so at every
    // moment the destination is either the old complete checkpoint, absent, or the new complete one.
    static void Replace(string temporary, string directory)
    {
        string? old = null;
        if (System.IO.Directory.Exists(directory))
        {
            old = Path.Combine(Path.GetDirectoryName(directory)!, $".{Path.GetFileName(directory)}.old-{Guid.NewGuid():N}");
            System.IO.Directory.Move(directory, old);
        }
        System.IO.Directory.Move(temporary, directory);
        if (old is not null) System.IO.Directory.Delete(old, recursive: true);
    }
}
