using System.Text.Json;
using Rlsc.Core.Evaluation.Answers;

namespace Rlsc.Core.Evaluation.Suites;

/// <summary>
/// How a suite's record yields its gold answer (the suites differ, see ../shared/eval-data/SOURCES.md):
/// <list type="bullet">
/// <item><c>field</c>: the field's value (a JSON number is kept as written: amc23's 27.0);</item>
/// <item><c>last_boxed</c>: the last \boxed{...} of the field (math500, minerva_math: the `solution`);</item>
/// <item><c>after_marker</c>: the text after the last <see cref="Marker"/> in the field (gsm8k: "####");</item>
/// <item><c>first_element</c>: element 0 of a list field, outer $ removed (olympiadbench: final_answer[0]).</item>
/// </list>
/// </summary>
public sealed record GoldRule
{
    public static readonly string[] Rules = ["field", "last_boxed", "after_marker", "first_element"];

    /// <summary>One of <see cref="Rules"/>.</summary>
    public required string Rule { get; init; }

    /// <summary>The record field the rule reads.</summary>
    public required string Field { get; init; }

    /// <summary>For after_marker: the marker, e.g. "####".</summary>
    public string? Marker { get; init; }

    /// <summary>
    /// Optional record field holding an absolute tolerance for that problem's numeric answer (a number, or a string
    /// such as "1e-1"): OlympiadBench's `error`. Null or absent values mean none.
    /// </summary>
    public string? ToleranceField { get; init; }

    /// <summary>The record's tolerance, null when it has none, or an error message when the value is not a number.</summary>
    public (double? Tolerance, string? Error) ExtractTolerance(JsonElement record)
    {
        if (ToleranceField is null || !record.TryGetProperty(ToleranceField, out var value) || value.ValueKind == JsonValueKind.Null) return (null, null);
        double parsed = double.NaN;
        bool ok = value.ValueKind == JsonValueKind.Number ? value.TryGetDouble(out parsed)
            : value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out parsed);
        return ok && parsed >= 0 && double.IsFinite(parsed) ? (parsed, null)
            : (null, $"field '{ToleranceField}' (gold.tolerance_field) is {value.GetRawText()}, expected a non-negative number");
    }

    public void Validate(string manifestPath)
    {
        if (!Rules.Contains(Rule))
            throw new RlscException(ErrorCodes.SuiteManifestInvalid,
                $"gold.rule is '{Rule}'; expected one of {string.Join(", ", Rules)}.", manifestPath);
        if (string.IsNullOrWhiteSpace(Field))
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, "gold.field is empty; name the record field that holds the gold answer.", manifestPath);
        if (Rule == "after_marker" && string.IsNullOrEmpty(Marker))
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, "gold.rule after_marker needs gold.marker (for example \"####\").", manifestPath);
    }

    /// <summary>The gold answer of one record, or an error message saying why there is none.</summary>
    public (string? Gold, string? Error) Extract(JsonElement record)
    {
        if (!record.TryGetProperty(Field, out var value) || value.ValueKind == JsonValueKind.Null)
            return (null, $"field '{Field}' (gold.field) is missing");
        switch (Rule)
        {
            case "field":
                return value.ValueKind switch
                {
                    JsonValueKind.String => NonEmpty(value.GetString()!),
                    JsonValueKind.Number => (value.GetRawText(), null),
                    _ => (null, $"field '{Field}' is a {value.ValueKind}, expected a string or a number"),
                };
            case "last_boxed":
                if (value.ValueKind != JsonValueKind.String) return (null, $"field '{Field}' is a {value.ValueKind}, expected a string");
                return AnswerExtractor.LastBoxed(value.GetString()!) is { } boxed ? (boxed, null) : (null, $"field '{Field}' has no complete \\boxed{{...}}");
            case "after_marker":
                {
                    if (value.ValueKind != JsonValueKind.String) return (null, $"field '{Field}' is a {value.ValueKind}, expected a string");
                    string text = value.GetString()!;
                    int at = text.LastIndexOf(Marker!, StringComparison.Ordinal);
                    return at < 0 ? (null, $"field '{Field}' has no '{Marker}'") : NonEmpty(text[(at + Marker!.Length)..]);
                }
            case "first_element":
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0 || value[0].ValueKind != JsonValueKind.String)
                    return (null, $"field '{Field}' is not a non-empty list of strings");
                return NonEmpty(value[0].GetString()!.Trim().Trim('$'));
            default:
                return (null, $"unknown gold rule '{Rule}'");
        }
    }

    static (string?, string?) NonEmpty(string s) => string.IsNullOrWhiteSpace(s) ? (null, "the gold answer is empty") : (s.Trim(), null);
}
