using System.Globalization;
using System.Text.Json;
using Rlsc.Core.Evaluation.Answers;
using Rlsc.Core.Evaluation.Expressions;
using Rlsc.Core.Evaluation.Grading;
using Rlsc.Core.Evaluation.Metrics;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.Evaluation.Runner;
using Rlsc.Core.Evaluation.Suites;
using Rlsc.Core.IO;

namespace Rlsc.Core.Gate;

/// <summary>
/// Reads an evaluation summary for the gate and fails closed: a missing or unreadable file (RLSC083),
/// malformed JSON, a duplicate key, trailing content, a field of the wrong type or range or an unknown field in a
/// suite object (RLSC084) and a different schema (RLSC085) are errors naming the file, the line and the field,
/// never a default value.
/// </summary>
public static class EvaluationSummaryReader
{
    /// <summary>The summary schema this gate understands.</summary>
    public const string Schema = "rlsc.eval.summary/v1";

    /// <summary>
    /// The fields a suite object may have: those the evaluation writes (<see cref="SuiteSummary"/>, by its JSON names).
    /// Anything else is an error: a misspelt `acuracy` next to a real one, or a field the gate would not understand.
    /// </summary>
    static readonly HashSet<string> SuiteFields = typeof(SuiteSummary).GetProperties()
        .Select(p => RlscJson.Output.PropertyNamingPolicy!.ConvertName(p.Name)).ToHashSet(StringComparer.Ordinal);

    public static GateReport Read(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new RlscException(ErrorCodes.GateReportMissing,
                "no evaluation summary was named: pass --summary <summary.json> (or set RLSC_GATE_SUMMARY).");
        if (Directory.Exists(path))
            throw new RlscException(ErrorCodes.GateReportMissing,
                "is a folder; name the evaluation's summary.json inside it.", file: path);
        byte[] bytes = InputFile.ReadAllBytes(path, ErrorCodes.GateReportMissing, "the evaluation summary",
            "run the evaluation first (rlsc eval, or dotnet cake --target=Evaluate) or point --summary / RLSC_GATE_SUMMARY at its summary.json.");
        return Parse(bytes, path);
    }

    public static GateReport Parse(byte[] bytes, string path)
    {
        try
        {
            return ParseDocument(bytes, path);
        }
        catch (Exception e) when (JsonUnicode.IsUnpairedSurrogate(e))
        {
            throw Corrupt(path, null, JsonUnicode.Explanation + ": re-run the evaluation; a summary it wrote is valid Unicode.");
        }
    }

    static GateReport ParseDocument(byte[] bytes, string path)
    {
        if (bytes.Length == 0 || bytes.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
            throw Corrupt(path, 1, "the file is empty (an interrupted evaluation?): re-run the evaluation.");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            int line = (int)(e.LineNumber ?? 0) + 1;
            throw Corrupt(path, line, $"not valid JSON ({FirstSentence(e.Message)}): re-run the evaluation; a half-written file is never a report.");
        }

        using (document)
        {
            DuplicateKeyCheck.Check(bytes, path, ErrorCodes.GateReportCorrupt, allowComments: false);
            var lines = JsonLineMap.Build(bytes, allowComments: false);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Corrupt(path, 1, $"expected a JSON object with `schema`, `model`, `settings` and `suites`, found {Describe(root)}.");

            // The schema first: a different schema explains every other difference.
            if (!root.TryGetProperty("schema", out var schemaElement))
                throw new RlscException(ErrorCodes.GateSchemaMismatch,
                    $"field `schema` is missing; expected \"{Schema}\" (is this an evaluation summary?).", path, 1);
            if (schemaElement.ValueKind != JsonValueKind.String)
                throw Corrupt(path, lines.LineOf("schema"), $"field `schema` must be a string, found {Describe(schemaElement)}.");
            string schema = schemaElement.GetString()!;
            if (schema != Schema)
                throw new RlscException(ErrorCodes.GateSchemaMismatch,
                    $"schema is \"{schema}\", expected \"{Schema}\": evaluate with a matching rlsc, or use a gate that reads \"{schema}\".",
                    path, lines.LineOf("schema"));

            var model = Required(root, "model", JsonValueKind.Object, path, lines);
            string modelName = Required(model, "name", JsonValueKind.String, path, lines, "model.").GetString()!;
            if (modelName.Trim().Length == 0)
                throw Corrupt(path, lines.LineOf("model.name"), "field `model.name` is empty.");
            string? modelPath = Optional(model, "path", JsonValueKind.String, path, lines, "model.")?.GetString();

            var settings = Required(root, "settings", JsonValueKind.Object, path, lines);
            double? temperature = null;
            if (Optional(settings, "temperature", JsonValueKind.Number, path, lines, "settings.") is { } temperatureElement)
                temperature = Finite(temperatureElement, "settings.temperature", path, lines, 0, double.MaxValue, "a temperature of 0 or more");

            DateTimeOffset? created = null;
            if (Optional(root, "created", JsonValueKind.String, path, lines) is { } createdElement)
            {
                if (!DateTimeOffset.TryParse(createdElement.GetString(), CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                    throw Corrupt(path, lines.LineOf("created"),
                        $"field `created` is \"{createdElement.GetString()}\", expected an ISO 8601 time such as 2025-06-01T12:00:00Z.");
                created = parsed;
            }
            string? runId = Optional(root, "run_id", JsonValueKind.String, path, lines)?.GetString();

            var suitesElement = Required(root, "suites", JsonValueKind.Object, path, lines);
            var suites = new Dictionary<string, SuiteResult>(StringComparer.Ordinal);
            foreach (var suite in suitesElement.EnumerateObject())
            {
                string prefix = $"suites.{suite.Name}.";
                if (suite.Value.ValueKind != JsonValueKind.Object)
                    throw Corrupt(path, lines.LineOf($"suites.{suite.Name}"),
                        $"field `suites.{suite.Name}` must be an object with `count` and `accuracy`, found {Describe(suite.Value)}.");

                foreach (var field in suite.Value.EnumerateObject())
                    if (!SuiteFields.Contains(field.Name))
                        throw Corrupt(path, lines.LineOf(prefix + field.Name),
                            $"unknown field `{prefix}{field.Name}`: a suite's fields are those the evaluation writes ({string.Join(", ", SuiteFields.Order())}); " +
                            "a misspelt or foreign field is never ignored by the gate.");

                var countElement = Required(suite.Value, "count", JsonValueKind.Number, path, lines, prefix);
                if (!countElement.TryGetInt32(out int count) || count <= 0)
                    throw Corrupt(path, lines.LineOf(prefix + "count"),
                        $"field `{prefix}count` is {countElement.GetRawText()}, expected a whole number of questions greater than 0.");

                double accuracy = Fraction(Required(suite.Value, "accuracy", JsonValueKind.Number, path, lines, prefix), prefix + "accuracy", path, lines);
                int? samples = null;
                if (Optional(suite.Value, "samples", JsonValueKind.Number, path, lines, prefix) is { } samplesElement)
                {
                    if (!samplesElement.TryGetInt32(out int k) || k <= 0)
                        throw Corrupt(path, lines.LineOf(prefix + "samples"),
                            $"field `{prefix}samples` is {samplesElement.GetRawText()}, expected a whole number of samples greater than 0.");
                    samples = k;
                }
                double? majAtK = Optional(suite.Value, "maj_at_k", JsonValueKind.Number, path, lines, prefix) is { } maj
                    ? Fraction(maj, prefix + "maj_at_k", path, lines) : null;
                var passAtK = Optional(suite.Value, "pass_at_k", JsonValueKind.Object, path, lines, prefix) is { } pass
                    ? FractionMap(pass, prefix + "pass_at_k", path, lines) : null;
                var accuracyCi = Optional(suite.Value, "accuracy_ci", JsonValueKind.Object, path, lines, prefix) is { } aci
                    ? Interval(aci, prefix + "accuracy_ci", path, lines) : null;
                var majCi = Optional(suite.Value, "maj_at_k_ci", JsonValueKind.Object, path, lines, prefix) is { } mci
                    ? Interval(mci, prefix + "maj_at_k_ci", path, lines) : null;
                Dictionary<string, MetricInterval>? passCi = null;
                if (Optional(suite.Value, "pass_at_k_ci", JsonValueKind.Object, path, lines, prefix) is { } pci)
                {
                    passCi = new Dictionary<string, MetricInterval>(StringComparer.Ordinal);
                    foreach (var entry in pci.EnumerateObject())
                    {
                        string at = $"{prefix}pass_at_k_ci.{entry.Name}";
                        if (entry.Value.ValueKind != JsonValueKind.Object)
                            throw Corrupt(path, lines.LineOf(at), $"field `{at}` must be an object, found {Describe(entry.Value)}.");
                        passCi[entry.Name] = Interval(entry.Value, at, path, lines);
                    }
                }
                string? dataSha = Optional(suite.Value, "data_sha256", JsonValueKind.String, path, lines, prefix)?.GetString();

                suites[suite.Name] = new SuiteResult(suite.Name, count, accuracy)
                {
                    Samples = samples, MajAtK = majAtK, PassAtK = passAtK,
                    AccuracyCi = accuracyCi, MajAtKCi = majCi, PassAtKCi = passCi, DataSha256 = dataSha,
                };
            }
            if (suites.Count == 0)
                throw Corrupt(path, lines.LineOf("suites"), "field `suites` is empty: the evaluation produced no results.");

            return new GateReport(path, schema, modelName, modelPath, created, runId, suites, lines, temperature);
        }
    }

    static JsonElement Required(JsonElement parent, string name, JsonValueKind kind, string path, JsonLineMap lines, string prefix = "")
    {
        if (!parent.TryGetProperty(name, out var element))
            throw Corrupt(path, lines.LineOf(prefix.TrimEnd('.')) ?? 1, $"field `{prefix}{name}` is missing; expected {Article(kind)}.");
        if (element.ValueKind != kind)
            throw Corrupt(path, lines.LineOf(prefix + name), $"field `{prefix}{name}` must be {Article(kind)}, found {Describe(element)}.");
        return element;
    }

    static JsonElement? Optional(JsonElement parent, string name, JsonValueKind kind, string path, JsonLineMap lines, string prefix = "")
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind != kind)
            throw Corrupt(path, lines.LineOf(prefix + name), $"field `{prefix}{name}` must be {Article(kind)}, found {Describe(element)}.");
        return element;
    }

    // JSON has no NaN or Infinity, but a number too large for a double (1e999) reads as infinity: refuse it.
    static double Finite(JsonElement element, string field, string path, JsonLineMap lines, double min, double max, string expected)
    {
        double value = element.GetDouble();
        if (!double.IsFinite(value) || value < min || value > max)
            throw Corrupt(path, lines.LineOf(field), $"field `{field}` is {element.GetRawText()}, expected {expected}.");
        return value;
    }

    static double Fraction(JsonElement element, string field, string path, JsonLineMap lines) =>
        Finite(element, field, path, lines, 0, 1, "a fraction in [0, 1] (not a percentage)");

    static Dictionary<string, double> FractionMap(JsonElement element, string field, string path, JsonLineMap lines)
    {
        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number)
                throw Corrupt(path, lines.LineOf($"{field}.{entry.Name}"), $"field `{field}.{entry.Name}` must be a number, found {Describe(entry.Value)}.");
            map[entry.Name] = Fraction(entry.Value, $"{field}.{entry.Name}", path, lines);
        }
        return map;
    }

    static readonly string[] IntervalFields = ["standard_error", "low", "high", "level"];

    static MetricInterval Interval(JsonElement element, string field, string path, JsonLineMap lines)
    {
        foreach (var property in element.EnumerateObject())
            if (!IntervalFields.Contains(property.Name))
                throw Corrupt(path, lines.LineOf($"{field}.{property.Name}"),
                    $"unknown field `{field}.{property.Name}`; an interval has {string.Join(", ", IntervalFields)}.");
        string prefix = field + ".";
        double se = Finite(Required(element, "standard_error", JsonValueKind.Number, path, lines, prefix), prefix + "standard_error", path, lines, 0, 1, "a standard error in [0, 1]");
        double low = Fraction(Required(element, "low", JsonValueKind.Number, path, lines, prefix), prefix + "low", path, lines);
        double high = Fraction(Required(element, "high", JsonValueKind.Number, path, lines, prefix), prefix + "high", path, lines);
        double level = Finite(Required(element, "level", JsonValueKind.Number, path, lines, prefix), prefix + "level", path, lines, 0, 1, "a confidence level in (0, 1)");
        if (low > high)
            throw Corrupt(path, lines.LineOf(prefix + "low"), $"field `{field}` has low {low} above high {high}.");
        return new MetricInterval(se, low, high, level);
    }

    static RlscException Corrupt(string path, int? line, string message) =>
        new(ErrorCodes.GateReportCorrupt, message, path, line);

    internal static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => kind.ToString().ToLowerInvariant(),
    };

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Null => "null",
        _ => element.GetRawText(),
    };

    static string FirstSentence(string message)
    {
        int cut = message.IndexOf(". ", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd('.');
    }
}
