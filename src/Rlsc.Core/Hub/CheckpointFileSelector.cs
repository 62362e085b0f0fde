using System.Text.Json;
using Rlsc.Core.Tokenization;

namespace Rlsc.Core.Hub;

/// <summary>
/// Which files of a repository make a checkpoint the runtime can load: config.json, generation_config.json, the
/// tokenizer files, and the weights as safetensors (model.safetensors, or model.safetensors.index.json and the shards
/// its weight_map names). Never pickle files (*.bin, *.pt, *.pth, *.ckpt: loading them can run arbitrary code) and
/// never code (*.py): a repository's request to run its own code (auto_map) is ignored.
/// </summary>
public static class CheckpointFileSelector
{
    public const string ConfigFile = "config.json";
    public const string GenerationConfigFile = "generation_config.json";
    public const string SingleWeightsFile = "model.safetensors";
    public const string WeightsIndexFile = "model.safetensors.index.json";

    static readonly string[] PickleExtensions = [".bin", ".pt", ".pth", ".ckpt", ".pkl"];

    /// <summary>The files to fetch before the weights' shards (which the index names). Errors when no usable checkpoint is there.</summary>
    public static List<string> Select(string repo, IReadOnlyCollection<string> repoFiles, bool includeWeights)
    {
        var available = new HashSet<string>(repoFiles, StringComparer.Ordinal);
        if (!available.Contains(ConfigFile))
            throw new RlscException(ErrorCodes.HubNoUsableCheckpoint,
                $"{repo} has no {ConfigFile}, so it is not a transformers model repository (files: {Preview(repoFiles)}).");
        var selected = new List<string> { ConfigFile };
        if (available.Contains(GenerationConfigFile)) selected.Add(GenerationConfigFile);
        selected.AddRange(HfTokenizer.CheckpointFiles.Where(available.Contains));
        if (!includeWeights) return selected;

        if (available.Contains(WeightsIndexFile)) selected.Add(WeightsIndexFile);
        else if (available.Contains(SingleWeightsFile)) selected.Add(SingleWeightsFile);
        else
        {
            var pickles = repoFiles.Where(f => PickleExtensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase))).ToList();
            throw new RlscException(ErrorCodes.HubNoUsableCheckpoint, pickles.Count > 0
                ? $"{repo} has its weights only as pickle files ({Preview(pickles)}), which rlsc refuses: unpickling can run arbitrary code. " +
                  "Use a repository or revision with model.safetensors (many have a 'refs/pr/N' conversion), or convert the weights with save_pretrained(safe_serialization=True)."
                : $"{repo} has no model.safetensors nor model.safetensors.index.json (files: {Preview(repoFiles)}).");
        }
        return selected;
    }

    /// <summary>The shard files of a safetensors index (its weight_map's values, each once, in order of first use).</summary>
    public static List<string> ShardsOf(string indexPath, IReadOnlyCollection<string> repoFiles)
    {
        List<string> shards;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new RlscException(ErrorCodes.HubBadResponse, "the safetensors index has no \"weight_map\" object.", indexPath);
            shards = map.EnumerateObject().Select(p => p.Value.GetString() ?? "").Distinct().ToList();
        }
        catch (JsonException e)
        {
            throw new RlscException(ErrorCodes.HubBadResponse, $"the safetensors index is not valid JSON: {e.Message}", indexPath, inner: e);
        }
        foreach (string shard in shards)
        {
            bool safe = shard.EndsWith(".safetensors", StringComparison.Ordinal) && !shard.Contains("..", StringComparison.Ordinal) && !Path.IsPathRooted(shard);
            if (!safe || (repoFiles.Count > 0 && !repoFiles.Contains(shard)))
                throw new RlscException(ErrorCodes.HubBadResponse, $"the safetensors index names '{shard}', which is not a .safetensors file of the repository.", indexPath);
        }
        return shards;
    }

    /// <summary>Warnings about what was left out on purpose: custom code the repository asks for.</summary>
    public static List<string> Warnings(string configPath, IReadOnlyCollection<string> repoFiles)
    {
        var warnings = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(configPath));
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("auto_map", out var autoMap))
                warnings.Add($"config.json asks for custom code (auto_map: {autoMap.GetRawText()}); rlsc never runs a repository's code and loads the model as its declared architecture.");
        }
        catch (JsonException)
        {
            // The model loader reports a malformed config.json with its file and line.
        }
        var code = repoFiles.Where(f => f.EndsWith(".py", StringComparison.Ordinal)).ToList();
        if (code.Count > 0) warnings.Add($"not fetched: {code.Count} Python file(s) ({Preview(code)}); repository code is never run.");
        return warnings;
    }

    static string Preview(IEnumerable<string> files)
    {
        var list = files.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list.Take(8)) + (list.Count > 8 ? $", ... ({list.Count} in all)" : "");
    }
}
