using System.Globalization;
using System.Text.Json;

namespace Rlsc.Core.Gate;

/// <summary>
/// Reads an evaluation summary for the gate and fails closed: a missing or unreadable file (RLSC083),
/// malformed JSON or a field of the wrong type or range (RLSC084) and a different schema (RLSC085) are
/// errors naming the file, the line and the field, never a default value.
/// </summary>
public static class EvaluationSummaryReader
{
    /// <summary>The summary schema this gate understands.</summary>
    public const string Schema = "rlsc.eval.summary/v1";

    public static GateReport Read(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new RlscException(ErrorCodes.GateReportMissing,
                "no evaluation summary was named: pass --summary <summary.json> (or set RLSC_GATE_SUMMARY).");
        if (Directory.Exists(path))
            throw new RlscException(ErrorCodes.GateReportMissing,
                "is a folder; name the evaluation's summary.json inside it.", file: path);
        if (!File.Exists(path))
            throw new RlscException(ErrorCodes.GateReportMissing,
                "the evaluation summary does not exist: run the evaluation first (rlsc eval, or dotnet cake --target=Evaluate) " +
                "or point --summary / RLSC_GATE_SUMMARY at its summary.json.", file: path);

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RlscException(ErrorCodes.GateReportMissing, $"the evaluation summary cannot be read: {e.Message}", file: path, inner: e);
        }
        return Parse(bytes, path);
    }

    public static GateReport Parse(byte[] bytes, string path)
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

            Required(root, "settings", JsonValueKind.Object, path, lines);

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

                var countElement = Required(suite.Value, "count", JsonValueKind.Number, path, lines, prefix);
                if (!countElement.TryGetInt32(out int count) || count <= 0)
                    throw Corrupt(path, lines.LineOf(prefix + "count"),
                        $"field `{prefix}count` is {countElement.GetRawText()}, expected a whole number of questions greater than 0.");

                var accuracyElement = Required(suite.Value, "accuracy", JsonValueKind.Number, path, lines, prefix);
                double accuracy = accuracyElement.GetDouble();
                if (!double.IsFinite(accuracy) || accuracy < 0 || accuracy > 1)
                    throw Corrupt(path, lines.LineOf(prefix + "accuracy"),
                        $"field `{prefix}accuracy` is {accuracyElement.GetRawText()}, expected a fraction in [0, 1] (not a percentage).");

                suites[suite.Name] = new SuiteResult(suite.Name, count, accuracy);
            }
            if (suites.Count == 0)
                throw Corrupt(path, lines.LineOf("suites"), "field `suites` is empty: the evaluation produced no results.");

            return new GateReport(path, schema, modelName, modelPath, created, runId, suites, lines);
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
