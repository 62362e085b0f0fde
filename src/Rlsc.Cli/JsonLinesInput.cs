using System.Text.Json;
using Rlsc.Core;

namespace Rlsc.Cli;

/// <summary>Reads a JSONL input file: every non-blank line must be a JSON object; errors name the file and line.</summary>
public static class JsonLinesInput
{
    public static IEnumerable<(int Line, JsonElement Value)> Read(string path, string example)
    {
        if (!File.Exists(path)) throw new RlscException(ErrorCodes.FileNotFound, "the input file does not exist.", path);
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement value;
            try
            {
                using var document = JsonDocument.Parse(line);
                value = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new RlscException(ErrorCodes.MalformedData, $"not valid JSON ({e.Message}); each line must be an object like {example}.", path, number);
            }
            if (value.ValueKind != JsonValueKind.Object)
                throw new RlscException(ErrorCodes.MalformedData, $"expected a JSON object like {example}.", path, number);
            yield return (number, value);
        }
    }

    /// <summary>A string field, or null when absent; another type is an error naming file, line and field.</summary>
    public static string? String(JsonElement value, string field, string path, int line) =>
        !value.TryGetProperty(field, out var f) || f.ValueKind == JsonValueKind.Null ? null
        : f.ValueKind == JsonValueKind.String ? f.GetString()
        : throw new RlscException(ErrorCodes.MalformedData, $"field \"{field}\" must be a string.", path, line);

    /// <summary>A list of token ids, or null when absent; anything else is an error naming file, line and field.</summary>
    public static int[]? Ids(JsonElement value, string field, string path, int line)
    {
        if (!value.TryGetProperty(field, out var f) || f.ValueKind == JsonValueKind.Null) return null;
        if (f.ValueKind != JsonValueKind.Array)
            throw new RlscException(ErrorCodes.MalformedData, $"field \"{field}\" must be a list of token ids.", path, line);
        var ids = new List<int>();
        foreach (var item in f.EnumerateArray())
            ids.Add(item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out int id) && id >= 0
                ? id
                : throw new RlscException(ErrorCodes.MalformedData, $"field \"{field}\" holds {item.GetRawText()}, not a token id.", path, line));
        return ids.ToArray();
    }
}
