using System.Text.Json;
using System.Text.Json.Nodes;
using Rlsc.Core;

namespace Rlsc.Runtime.Model.Checkpoints;

/// <summary>
/// model.safetensors.index.json of a sharded checkpoint:
/// {"metadata": {"total_size": bytes}, "weight_map": {"tensor name": "model-00001-of-00002.safetensors"}}.
/// </summary>
public sealed record SafetensorsIndex(long TotalSize, IReadOnlyDictionary<string, string> WeightMap)
{
    public const string FileName = "model.safetensors.index.json";

    public static SafetensorsIndex Load(string path)
    {
        try
        {
            return Parse(path);
        }
        catch (Exception e) when (Rlsc.Core.IO.JsonUnicode.IsUnpairedSurrogate(e))
        {
            throw Corrupt(path, $"the index is not valid: {Rlsc.Core.IO.JsonUnicode.Explanation}.");
        }
    }

    static SafetensorsIndex Parse(string path)
    {
        JsonObject root;
        try
        {
            // Duplicate keys are refused while parsing: a weight_map naming one tensor twice is ambiguous, not "last wins".
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                   ?? throw Corrupt(path, "the index must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"the index is not valid JSON ({e.Message}).");
        }
        if (root["weight_map"] is not JsonObject map)
            throw Corrupt(path, "weight_map is missing: expected {\"weight_map\": {\"tensor name\": \"shard file\"}}.");
        var weights = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, file) in map)
        {
            string? shard = file is JsonValue v && v.TryGetValue(out string? s) ? s : null;
            if (string.IsNullOrEmpty(shard) || shard != Path.GetFileName(shard))
                throw Corrupt(path, $"weight_map entry '{name}' must name a shard file in the same folder, got {file?.ToJsonString() ?? "null"}.");
            weights[name] = shard;
        }
        long total = root["metadata"] is JsonObject metadata && metadata["total_size"] is JsonValue t && t.TryGetValue(out long size) ? size : -1;
        return new SafetensorsIndex(total, weights);
    }

    /// <summary>Writes the index as transformers does: json.dumps(index, indent=2, sort_keys=True) + "\n".</summary>
    public void Save(string path)
    {
        var map = new JsonObject(WeightMap.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
        var root = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = TotalSize },
            ["weight_map"] = map,
        };
        File.WriteAllText(path, root.ToJsonString(HfJson.Indented) + "\n");
    }

    static RlscException Corrupt(string path, string message) => new(ErrorCodes.CheckpointCorrupt, message, path);
}
