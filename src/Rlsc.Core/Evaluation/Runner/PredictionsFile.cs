using System.Text.Json;

namespace Rlsc.Core.Evaluation.Runner;

/// <summary>
/// Reads responses produced elsewhere (vLLM, another harness) for `rlsc eval --predictions`. One JSON object per
/// line: `index` (the problem's 0-based line number in the suite file), `response` (a string) or `responses`
/// (a list, for k samples), optionally `suite` (required when several suites are evaluated; lines of suites not
/// evaluated in this run are skipped) and `token_count` /
/// `token_counts` (then lengths are reported in tokens). Several lines for one problem add their responses in order.
/// </summary>
public static class PredictionsFile
{
    /// <summary>Responses per suite and index.</summary>
    public static Dictionary<string, Dictionary<int, List<SampledResponse>>> Read(string path, IReadOnlyDictionary<string, int> suiteSizes)
    {
        if (!File.Exists(path)) throw new RlscException(ErrorCodes.FileNotFound, "the predictions file does not exist.", path);
        var result = suiteSizes.Keys.ToDictionary(s => s, _ => new Dictionary<int, List<SampledResponse>>(), StringComparer.Ordinal);
        string? onlySuite = suiteSizes.Count == 1 ? suiteSizes.Keys.First() : null;
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            RlscException Bad(string message) => new(ErrorCodes.PredictionsInvalid, message, path, lineNumber);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw new RlscException(ErrorCodes.PredictionsInvalid, $"not valid JSON: {e.Message}", path, lineNumber, e);
            }
            try
            {
                using (document)
                {
                    var record = document.RootElement;
                    if (record.ValueKind != JsonValueKind.Object) throw Bad("expected a JSON object with `index` and `response` or `responses`.");
                    string suite;
                    if (record.TryGetProperty("suite", out var suiteElement))
                    {
                        if (suiteElement.ValueKind != JsonValueKind.String) throw Bad("`suite` must be a suite name (a string).");
                        suite = suiteElement.GetString()!;
                        // A file may hold predictions for more suites than this run evaluates (a shard, a subset).
                        if (!result.ContainsKey(suite)) continue;
                    }
                    else suite = onlySuite ?? throw Bad($"`suite` is missing; it is required when several suites are evaluated ({string.Join(", ", suiteSizes.Keys)}).");
    
                    if (!record.TryGetProperty("index", out var indexElement) || indexElement.ValueKind != JsonValueKind.Number || !indexElement.TryGetInt32(out int index))
                        throw Bad("`index` is missing or not an integer: give the problem's 0-based line number in the suite file.");
                    if (index < 0 || index >= suiteSizes[suite])
                        throw Bad($"`index` {index} is out of range: suite '{suite}' has problems 0..{suiteSizes[suite] - 1}.");
    
                    var texts = new List<string>();
                    if (record.TryGetProperty("response", out var response))
                    {
                        if (response.ValueKind != JsonValueKind.String) throw Bad("`response` must be a string.");
                        texts.Add(response.GetString()!);
                    }
                    if (record.TryGetProperty("responses", out var responses))
                    {
                        if (responses.ValueKind != JsonValueKind.Array || responses.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
                            throw Bad("`responses` must be a list of strings.");
                        texts.AddRange(responses.EnumerateArray().Select(r => r.GetString()!));
                    }
                    if (texts.Count == 0) throw Bad("neither `response` (a string) nor `responses` (a non-empty list) is given.");
    
                    var tokens = ReadTokenCounts(record, texts.Count, Bad);
                    if (!result[suite].TryGetValue(index, out var list)) result[suite][index] = list = new List<SampledResponse>();
                    for (int i = 0; i < texts.Count; i++) list.Add(new SampledResponse(texts[i], tokens?[i]));
                }
            }
            catch (Exception e) when (Rlsc.Core.IO.JsonUnicode.IsUnpairedSurrogate(e))
            {
                throw new RlscException(ErrorCodes.PredictionsInvalid, $"not valid: {Rlsc.Core.IO.JsonUnicode.Explanation}.", path, lineNumber, e);
            }
        }
        return result;
    }

    static int[]? ReadTokenCounts(JsonElement record, int responses, Func<string, RlscException> bad)
    {
        if (record.TryGetProperty("token_counts", out var counts))
        {
            if (counts.ValueKind != JsonValueKind.Array || counts.GetArrayLength() != responses
                || counts.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out int v) || v < 0))
                throw bad($"`token_counts` must be a list of {responses} non-negative integers, one per response.");
            return counts.EnumerateArray().Select(c => c.GetInt32()).ToArray();
        }
        if (record.TryGetProperty("token_count", out var count))
        {
            if (responses != 1 || count.ValueKind != JsonValueKind.Number || !count.TryGetInt32(out int v) || v < 0)
                throw bad("`token_count` must be a non-negative integer, given with a single `response`.");
            return [v];
        }
        return null;
    }
}
