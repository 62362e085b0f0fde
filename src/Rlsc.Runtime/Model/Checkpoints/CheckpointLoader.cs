using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Runtime.Model.Modules;

namespace Rlsc.Runtime.Model.Checkpoints;

/// <summary>
/// Copies a checkpoint's tensors into a model's parameters, tensor by tensor, after checking that the names match
/// exactly: a missing or unexpected tensor is an error (a silently half-loaded model would give plausible
/// garbage). Two keys HF itself ignores are skipped: rotary inv_freq buffers of old checkpoints, and lm_head.weight
/// when the embeddings are tied (the head is the embedding).
/// </summary>
public static class CheckpointLoader
{
    public static void Load(Qwen2ForCausalLM module, CheckpointFiles files, IProgress<(int Done, int Total)>? progress = null)
    {
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        bool Ignorable(string key) =>
            key.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (module.lm_head is null && key == "lm_head.weight");

        var missing = parameters.Keys.Where(k => !files.Contains(k)).ToList();
        if (missing.Count > 0)
            throw new RlscException(ErrorCodes.CheckpointMismatch,
                $"the checkpoint lacks tensor '{missing[0]}'{More(missing)}; config.json ({module.Config.Architecture}, {module.Config.NumHiddenLayers} layers, " +
                $"tie_word_embeddings {module.Config.TieWordEmbeddings.ToString().ToLowerInvariant()}) does not match these weights.", files.Directory);
        var unexpected = files.TensorNames.Where(k => !parameters.ContainsKey(k) && !Ignorable(k)).Order(StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0)
            throw new RlscException(ErrorCodes.CheckpointMismatch,
                $"unexpected tensor '{unexpected[0]}'{More(unexpected)}: the model has no such parameter; config.json does not match these weights.",
                files.FileOf(unexpected[0]).Path);

        int done = 0;
        // File by file in offset order: sequential reads.
        foreach (var file in files.Files)
            foreach (var info in file.Tensors.OrderBy(t => t.Begin))
            {
                if (!parameters.TryGetValue(info.Name, out var parameter)) continue;
                if (info.DType is not ("F32" or "F16" or "BF16" or "F64"))
                    throw new RlscException(ErrorCodes.CheckpointUnsupported,
                        $"tensor '{info.Name}' is stored as {info.DType}; model weights must be F32, F16 or BF16.", file.Path);
                file.ReadInto(info.Name, parameter);
                progress?.Report((++done, parameters.Count));
            }
    }

    static string More(List<string> names) => names.Count > 1 ? $" (and {names.Count - 1} more: {string.Join(", ", names.Skip(1).Take(4))}{(names.Count > 5 ? ", ..." : "")})" : "";
}
