using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>JSON settings of the files a run writes: snake_case, enums as snake_case strings.</summary>
public static class TrainingJson
{
    /// <summary>One line per record (metrics.jsonl, samples.jsonl). Non-ASCII text is written as is, not escaped.</summary>
    public static readonly JsonSerializerOptions Compact = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new SnakeCaseEnumConverterFactory() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Indented (trainer_state.json, summary.json).</summary>
    public static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };
}
