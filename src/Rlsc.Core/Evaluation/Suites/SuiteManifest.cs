using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.IO;

namespace Rlsc.Core.Evaluation.Suites;

/// <summary>
/// A benchmark suite: eval-suites/&lt;name&gt;.json, schema <see cref="SchemaV1"/> (documented in docs/evaluation.md).
/// Which data, which field is the question, how the gold answer is obtained, the prompt template, decoding and
/// grading settings, and (optionally) where the quality gate's thresholds live.
/// </summary>
public sealed partial record SuiteManifest
{
    public const string SchemaV1 = "rlsc.eval.suite/v1";

    public required string Schema { get; init; }

    /// <summary>The suite's name; equals the file name without ".json".</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }

    public required SuiteData Data { get; init; }

    /// <summary>Field used as the problem id in reports (default: the 0-based index).</summary>
    public string? IdField { get; init; }

    /// <summary>Field holding the question put into the prompt.</summary>
    public required string QuestionField { get; init; }

    /// <summary>How the gold answer is obtained; null for an unlabeled (training) split, which cannot be evaluated.</summary>
    public GoldRule? Gold { get; init; }

    /// <summary>Chat template name (default "qwen25-math-cot", the Qwen2.5-Math toolkit's).</summary>
    public string PromptTemplate { get; init; } = "qwen25-math-cot";

    public DecodingSettings Decoding { get; init; } = new();

    public GradingSettings? Grading { get; init; }

    /// <summary>Optional reference to this suite's thresholds file (owned by the quality gate).</summary>
    public string? Thresholds { get; init; }

    /// <summary>Licence and provenance notes, free text.</summary>
    public string? License { get; init; }

    /// <summary>The file this manifest was read from ("embedded:eval-suites/x.json" for the built-in copies).</summary>
    [JsonIgnore]
    public string ManifestPath { get; init; } = "";

    public GradingOptions GradingOptions => Grading?.ToOptions() ?? GradingOptions.Default;

    public static SuiteManifest Load(string path)
    {
        if (!File.Exists(path))
            throw new RlscException(ErrorCodes.FileNotFound, $"suite manifest {path} does not exist.", path);
        using var stream = File.OpenRead(path);
        return Parse(stream, Path.GetFullPath(path), Path.GetFileNameWithoutExtension(path));
    }

    public static SuiteManifest Parse(Stream json, string manifestPath, string expectedName)
    {
        SuiteManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<SuiteManifest>(json, RlscJson.EditedRecords);
        }
        catch (JsonException e)
        {
            int? line = e.LineNumber is long l ? (int)l + 1 : null;
            throw new RlscException(ErrorCodes.SuiteManifestInvalid,
                $"not a valid suite manifest ({SchemaV1}): {e.Message} See docs/evaluation.md for the schema.", manifestPath, line, e);
        }
        if (manifest is null)
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, "the manifest is empty (null).", manifestPath);
        manifest = manifest with { ManifestPath = manifestPath };
        manifest.Validate(expectedName);
        return manifest;
    }

    void Validate(string expectedName)
    {
        if (Schema != SchemaV1)
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, $"schema is '{Schema}'; this rlsc reads '{SchemaV1}'.", ManifestPath);
        if (!NamePattern().IsMatch(Name))
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, $"name '{Name}' must be lower-case letters, digits, '_', '-' or '.'.", ManifestPath);
        if (Name != expectedName)
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, $"name is '{Name}' but the file is {expectedName}.json; they must match so that --suite {Name} finds it.", ManifestPath);
        if (string.IsNullOrWhiteSpace(QuestionField))
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, "question_field is empty; name the record field that holds the question.", ManifestPath);
        if (string.IsNullOrWhiteSpace(PromptTemplate))
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, "prompt_template is empty; use \"qwen25-math-cot\" for the Qwen2.5-Math prompt.", ManifestPath);
        Data.Validate(ManifestPath);
        Gold?.Validate(ManifestPath);
        Decoding.Validate(ManifestPath);
        GradingOptions.Validate("grading", ErrorCodes.SuiteManifestInvalid, ManifestPath);
    }

    /// <summary>The mirror path of a public suite ("eval-data/&lt;name&gt;/test.jsonl" unless data.mirror_path says otherwise).</summary>
    public string MirrorPath => Data.MirrorPath ?? $"eval-data/{Name}/test.jsonl";

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]*$")]
    private static partial Regex NamePattern();
}
