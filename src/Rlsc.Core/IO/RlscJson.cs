using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rlsc.Core.IO;

/// <summary>
/// The JSON of every file rlsc reads and writes, defined once: snake_case property names and enums as snake_case
/// strings (<see cref="SnakeCaseEnumConverter{T}"/>: an unknown name fails listing the accepted ones, numbers are
/// refused). The variants below differ only where the files genuinely do; each says which files it is for.
/// </summary>
public static class RlscJson
{
    static JsonSerializerOptions Conventions() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new SnakeCaseEnumConverterFactory() },
    };

    /// <summary>
    /// Files the program writes and reads back: an evaluation's summary.json, a run's summary.json and
    /// trainer_state.json. Indented; text written as is (non-ASCII, + &lt; &gt; &amp; not escaped); NaN and infinities
    /// as named literals; null refused where a property is not nullable; unknown fields tolerated on read
    /// (forward-compatible within a schema version).
    /// </summary>
    public static readonly JsonSerializerOptions Output = new(Conventions())
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectNullableAnnotations = true,
    };

    /// <summary><see cref="Output"/> as one object per line: problems.jsonl, metrics.jsonl, samples.jsonl.</summary>
    public static readonly JsonSerializerOptions Line = new(Output) { WriteIndented = false };

    /// <summary>
    /// <see cref="Output"/> with the serializer's default, HTML-safe escaping (+ &lt; &gt; &amp; ' and non-ASCII as
    /// \uXXXX), which these files have always had: before-after.json, comparison.json and its tuning results,
    /// `rlsc bench-generate --json`, generated suite manifests. Kept so that their bytes do not change.
    /// </summary>
    public static readonly JsonSerializerOptions EscapedOutput = new(Output) { Encoder = null };

    /// <summary>
    /// The run configuration, a file people edit: unknown keys are errors (a typo never falls back to a default
    /// silently), comments and trailing commas allowed. A null section is refused by the configuration's loader with
    /// the option's name, so nulls are not the serializer's concern here. Written back (config.json) indented and
    /// escaped as <see cref="EscapedOutput"/>.
    /// </summary>
    public static readonly JsonSerializerOptions Edited = new(Conventions())
    {
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// <see cref="Edited"/> for files read straight into records (suite manifests): a null or a missing required
    /// value is an error of the serializer, since no loader checks it afterwards.
    /// </summary>
    public static readonly JsonSerializerOptions EditedRecords = new(Edited)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}
