using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rlsc.Core.Evaluation.Reports;

/// <summary>System.Text.Json settings shared by every evaluation file: snake_case names, unknown fields rejected on read.</summary>
public static class EvaluationJson
{
    /// <summary>For files people edit (manifests): unknown fields are errors, so that a typo never passes silently.</summary>
    public static readonly JsonSerializerOptions Strict = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>For files the program writes (summary.json): indented, readable, unknown fields tolerated on read (forward-compatible within v1).</summary>
    public static readonly JsonSerializerOptions Output = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        RespectNullableAnnotations = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>One JSON object per line (problems.jsonl, graded output).</summary>
    public static readonly JsonSerializerOptions Line = new(Output) { WriteIndented = false };
}
